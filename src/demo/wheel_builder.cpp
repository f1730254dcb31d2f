#include "omni/demo/wheel_builder.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <fmt/format.h>

#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/hash.hpp"

namespace omni::demo {

namespace {

std::string distribution_stem(const WheelSource& s) {
    std::string name = s.name;
    for (auto& c : name)
        if (c == '-' || c == '.')
            c = '_';
    return name + "-" + s.version;
}

class ZipWriter {
  public:
    explicit ZipWriter(const std::filesystem::path& path)
        : path_(path), archive_(archive_write_new()) {
        archive_write_set_format_zip(archive_);
        archive_write_zip_set_compression_deflate(archive_);
        if (archive_write_open_filename(archive_, path.c_str()) != ARCHIVE_OK)
            fail("open");
    }
    ZipWriter(const ZipWriter&) = delete;
    ZipWriter& operator=(const ZipWriter&) = delete;
    ~ZipWriter() {
        if (archive_)
            archive_write_free(archive_);
    }
    void add(const std::string& name, std::string_view data, unsigned mode = 0644) {
        archive_entry* entry = archive_entry_new();
        archive_entry_set_pathname(entry, name.c_str());
        archive_entry_set_size(entry, static_cast<la_int64_t>(data.size()));
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_perm(entry, mode);
        archive_entry_set_mtime(entry, 315532800, 0);  // 1980-01-01, zip's epoch
        const bool ok = archive_write_header(archive_, entry) == ARCHIVE_OK &&
                        archive_write_data(archive_, data.data(), data.size()) ==
                            static_cast<la_ssize_t>(data.size());
        archive_entry_free(entry);
        if (!ok)
            fail("write " + name + " into");
    }
    void close() {
        if (archive_write_close(archive_) != ARCHIVE_OK)
            fail("finish");
        archive_write_free(archive_);
        archive_ = nullptr;
    }

  private:
    [[noreturn]] void fail(const std::string& what) {
        throw Error(
            ErrorCode::io,
            fmt::format("cannot {} wheel '{}': {}", what, path_.string(),
                        archive_error_string(archive_) ? archive_error_string(archive_) : ""));
    }
    std::filesystem::path path_;
    archive* archive_;
};

}  // namespace

std::string wheel_filename(const WheelSource& source) {
    return distribution_stem(source) + "-py3-none-any.whl";
}

std::filesystem::path build_wheel(const WheelSource& source, const std::filesystem::path& out_dir) {
    const std::string dist_info = distribution_stem(source) + ".dist-info";
    std::map<std::string, std::string> entries = source.files;
    std::string metadata =
        fmt::format("Metadata-Version: 2.1\nName: {}\nVersion: {}\n", source.name, source.version);
    if (!source.summary.empty())
        metadata += "Summary: " + source.summary + "\n";
    if (!source.requires_python.empty())
        metadata += "Requires-Python: " + source.requires_python + "\n";
    for (const auto& r : source.requires_dist)
        metadata += "Requires-Dist: " + r + "\n";
    entries[dist_info + "/METADATA"] = metadata;
    entries[dist_info + "/WHEEL"] =
        "Wheel-Version: 1.0\nGenerator: omni\nRoot-Is-Purelib: true\nTag: py3-none-any\n";
    if (!source.console_scripts.empty()) {
        std::string text = "[console_scripts]\n";
        for (const auto& [name, target] : source.console_scripts)
            text += name + " = " + target + "\n";
        entries[dist_info + "/entry_points.txt"] = text;
    }
    std::string top_level;
    for (const auto& [path, content] : source.files) {
        const auto slash = path.find('/');
        const auto top =
            slash == std::string::npos ? path.substr(0, path.rfind(".py")) : path.substr(0, slash);
        if (top.ends_with(".data") || top.ends_with(".dist-info"))
            continue;
        if (top_level.find(top + "\n") == std::string::npos)
            top_level += top + "\n";
    }
    entries[dist_info + "/top_level.txt"] = top_level;
    std::string record;
    for (const auto& [path, content] : entries)
        record += fmt::format("{},{},{}\n", path, "sha256=" + sha256_record_digest(content),
                              content.size());
    record += dist_info + "/RECORD,,\n";

    std::filesystem::create_directories(out_dir);
    const auto final_path = out_dir / wheel_filename(source);
    const auto temp =
        out_dir / fmt::format(".{}.tmp.{}", wheel_filename(source), fs::unique_suffix());
    try {
        ZipWriter zip(temp);
        for (const auto& [path, content] : entries)
            zip.add(path, content);
        zip.add(dist_info + "/RECORD", record);
        zip.close();
        std::filesystem::rename(temp, final_path);
    } catch (...) {
        std::error_code ec;
        std::filesystem::remove(temp, ec);
        throw;
    }
    return final_path;
}

}  // namespace omni::demo
