#include "omni/install/sdist.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <cstdio>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "omni/python/archive_extract.hpp"
#include "omni/standards/sdist_name.hpp"
#include "omni/util/error.hpp"

namespace omni::install {

namespace stdfs = std::filesystem;

namespace {

struct ReadDeleter {
    void operator()(archive* a) const { archive_read_free(a); }
};

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace

bool is_sdist_filename(std::string_view filename) {
    return standards::sdist_stem(filename).has_value();
}

stdfs::path unpack_sdist(const stdfs::path& sdist, const stdfs::path& dest) {
    python::extract_archive(sdist, dest);
    std::vector<stdfs::path> tops;
    for (const auto& entry : stdfs::directory_iterator(dest))
        tops.push_back(entry.path());
    if (tops.size() != 1 || !stdfs::is_directory(tops.front()))
        throw Error(ErrorCode::integrity,
                    fmt::format("sdist '{}' does not hold exactly one top-level directory",
                                sdist.filename().string()),
                    "an sdist unpacks to <name>-<version>/ (PEP 625)");
    return tops.front();
}

std::optional<std::string> read_sdist_pkg_info(const stdfs::path& sdist) {
    std::unique_ptr<archive, ReadDeleter> in(archive_read_new());
    archive_read_support_filter_all(in.get());
    archive_read_support_format_tar(in.get());
    archive_read_support_format_zip(in.get());
    if (archive_read_open_filename(in.get(), sdist.c_str(), 1 << 16) != ARCHIVE_OK)
        throw Error(ErrorCode::integrity,
                    fmt::format("sdist '{}' cannot be read: {}", sdist.string(),
                                archive_error_string(in.get())));
    archive_entry* entry = nullptr;
    while (archive_read_next_header(in.get(), &entry) == ARCHIVE_OK) {
        const std::string_view name = archive_entry_pathname(entry);
        const auto slash = name.find('/');
        if (slash == std::string_view::npos || name.substr(slash + 1) != "PKG-INFO")
            continue;
        const auto size = archive_entry_size(entry);
        if (size < 0 || size > (8 << 20))
            return std::nullopt;
        std::string text(static_cast<std::size_t>(size), '\0');
        if (archive_read_data(in.get(), text.data(), text.size()) != size)
            return std::nullopt;
        return text;
    }
    return std::nullopt;
}

bool pkg_info_is_static(std::string_view pkg_info) {
    const auto headers = pkg_info.substr(0, pkg_info.find("\n\n"));
    bool recent = false, dynamic = false;
    std::size_t start = 0;
    while (start < headers.size()) {
        auto end = headers.find('\n', start);
        if (end == std::string_view::npos)
            end = headers.size();
        const auto line = headers.substr(start, end - start);
        const auto colon = line.find(':');
        if (colon != std::string_view::npos) {
            const auto key = lower(line.substr(0, colon));
            auto value = line.substr(colon + 1);
            while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
                value.remove_prefix(1);
            while (!value.empty() && (value.back() == '\r' || value.back() == ' '))
                value.remove_suffix(1);
            if (key == "metadata-version") {
                unsigned major = 0, minor = 0;
                if (std::sscanf(std::string(value).c_str(), "%u.%u", &major, &minor) == 2)
                    recent = major > 2 || (major == 2 && minor >= 2);
            } else if (key == "dynamic") {
                const auto field = lower(value);
                dynamic = dynamic || field == "requires-dist" || field == "requires-python";
            }
        }
        start = end + 1;
    }
    return recent && !dynamic;
}

}  // namespace omni::install
