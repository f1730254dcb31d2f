#include "omni/python/archive_extract.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"

namespace omni::python {

namespace {

namespace stdfs = std::filesystem;
using Parts = std::vector<std::string>;

struct ReadDeleter {
    void operator()(archive* a) const { archive_read_free(a); }
};
struct WriteDeleter {
    void operator()(archive* a) const { archive_write_free(a); }
};

// Thrown for a member that must not be extracted; turned into Error(integrity).
struct Hostile {
    std::string member;
    std::string reason;
};

std::string join(const Parts& parts, std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count && i < parts.size(); ++i) {
        if (i > 0)
            out += '/';
        out += parts[i];
    }
    return out;
}

std::string join(const Parts& parts) {
    return join(parts, parts.size());
}

// A member name as path components: relative, no "..", "." dropped.
Parts member_parts(std::string_view name) {
    if (name.starts_with('/'))
        throw Hostile{std::string(name), "has an absolute path"};
    Parts parts;
    std::size_t start = 0;
    while (start <= name.size()) {
        auto end = name.find('/', start);
        if (end == std::string_view::npos)
            end = name.size();
        const auto part = name.substr(start, end - start);
        if (part == "..")
            throw Hostile{std::string(name), "has a '..' component"};
        if (!part.empty() && part != ".")
            parts.emplace_back(part);
        start = end + 1;
    }
    return parts;
}

using Links = std::map<std::string, std::string>;

// Where `target`, read from directory `base`, ends up when every symlink of
// the archive is followed; nullopt when it leaves the root (or loops).
std::optional<Parts> resolve(const Links& links, Parts base, std::string_view target, int depth) {
    if (depth > 32 || target.starts_with('/'))
        return std::nullopt;
    std::size_t start = 0;
    while (start <= target.size()) {
        auto end = target.find('/', start);
        if (end == std::string_view::npos)
            end = target.size();
        const auto part = target.substr(start, end - start);
        start = end + 1;
        if (part.empty() || part == ".")
            continue;
        if (part == "..") {
            if (base.empty())
                return std::nullopt;
            base.pop_back();
            continue;
        }
        base.emplace_back(part);
        if (const auto it = links.find(join(base)); it != links.end()) {
            Parts parent(base.begin(), base.end() - 1);
            auto resolved = resolve(links, std::move(parent), it->second, depth + 1);
            if (!resolved)
                return std::nullopt;
            base = std::move(*resolved);
        }
    }
    return base;
}

class Extractor {
  public:
    Extractor(const stdfs::path& archive_path, const stdfs::path& root)
        : archive_path_(archive_path), root_(root) {}

    ExtractStats run() {
        std::unique_ptr<archive, ReadDeleter> in(archive_read_new());
        std::unique_ptr<archive, WriteDeleter> out(archive_write_disk_new());
        if (!in || !out)
            throw Error(ErrorCode::internal, "libarchive could not allocate a reader");
        archive_read_support_filter_all(in.get());
        archive_read_support_format_tar(in.get());
        archive_read_support_format_zip(in.get());  // sdists may be .zip
        // No ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS: omni writes to absolute
        // paths under the root (no chdir); member names are checked above.
        archive_write_disk_set_options(out.get(), ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM |
                                                      ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                                                      ARCHIVE_EXTRACT_SECURE_NODOTDOT);
        if (archive_read_open_filename(in.get(), archive_path_.c_str(), 1 << 16) != ARCHIVE_OK)
            damaged(in.get());
        archive_entry* entry = nullptr;
        while (true) {
            const int r = archive_read_next_header(in.get(), &entry);
            if (r == ARCHIVE_EOF)
                break;
            if (r < ARCHIVE_WARN)
                damaged(in.get());
            extract_one(in.get(), out.get(), entry);
        }
        if (stats_.files + stats_.directories + stats_.symlinks == 0)
            throw Error(ErrorCode::integrity,
                        fmt::format("archive '{}' is empty", archive_path_.string()));
        if (archive_write_close(out.get()) != ARCHIVE_OK)
            disk_failed(out.get(), root_.string());
        return stats_;
    }

  private:
    [[noreturn]] void damaged(archive* in) const {
        throw Error(ErrorCode::integrity,
                    fmt::format("archive '{}' is damaged: {}", archive_path_.string(),
                                archive_error_string(in) ? archive_error_string(in) : "unreadable"),
                    "download it again");
    }
    [[noreturn]] void disk_failed(archive* out, const std::string& what) const {
        throw Error(ErrorCode::io,
                    fmt::format("cannot extract '{}' from '{}': {}", what, archive_path_.string(),
                                archive_error_string(out) ? archive_error_string(out) : "refused"));
    }

    // Whether any proper prefix of `parts` is a symlink of the archive.
    void refuse_through_symlink(const Parts& parts, const std::string& name) const {
        for (std::size_t n = 1; n < parts.size(); ++n)
            if (links_.contains(join(parts, n)))
                throw Hostile{name, fmt::format("goes through the symlink '{}'", join(parts, n))};
    }

    void extract_one(archive* in, archive* out, archive_entry* entry) {
        const char* raw = archive_entry_pathname(entry);
        if (raw == nullptr)
            raw = archive_entry_pathname_utf8(entry);
        if (raw == nullptr || *raw == '\0')
            throw Hostile{"(unnamed)", "has no name"};
        const std::string name(raw);
        const Parts parts = member_parts(name);
        if (parts.empty())
            return;  // "./": the root itself
        const auto key = join(parts);
        refuse_through_symlink(parts, name);
        const auto type = archive_entry_filetype(entry);
        const char* hardlink = archive_entry_hardlink(entry);
        if (type == AE_IFDIR) {
            if (files_.contains(key) || links_.contains(key))
                throw Hostile{name, "is a directory where a file or symlink was"};
            if (!dirs_.insert(key).second)
                return;  // listed twice; the first one made it
        } else if (!seen_.insert(key).second || dirs_.contains(key)) {
            throw Hostile{name, "appears twice"};
        }

        archive_entry_set_perm(
            entry, (archive_entry_perm(entry) & 0777) | (type == AE_IFDIR ? 0700 : 0600));
        if (hardlink != nullptr) {
            Parts target;
            try {
                target = member_parts(hardlink);
            } catch (const Hostile& h) {
                throw Hostile{name,
                              fmt::format("is a hardlink to '{}', which {}", hardlink, h.reason)};
            }
            refuse_through_symlink(target, name);
            if (!files_.contains(join(target)))
                throw Hostile{name, fmt::format("is a hardlink to '{}', which is not a file "
                                                "extracted before it",
                                                hardlink)};
            archive_entry_set_hardlink(entry, (root_ / join(target)).c_str());
            files_.insert(key);
            ++stats_.hardlinks;
        } else if (type == AE_IFLNK) {
            const char* target = archive_entry_symlink(entry);
            if (target == nullptr || *target == '\0')
                throw Hostile{name, "is a symlink to nothing"};
            if (*target == '/')
                throw Hostile{name, fmt::format("is a symlink to the absolute path '{}'", target)};
            links_[key] = target;
            // A new link can change where older ones lead: check them all.
            for (const auto& [link, link_target] : links_) {
                const Parts link_parts = member_parts(link);
                const Parts parent(link_parts.begin(), link_parts.end() - 1);
                if (!resolve(links_, parent, link_target, 0))
                    throw Hostile{name, link == key ? fmt::format("is a symlink to '{}', outside "
                                                                  "the archive's root",
                                                                  target)
                                                    : fmt::format("makes the symlink '{}' lead "
                                                                  "outside the archive's root",
                                                                  link)};
            }
            ++stats_.symlinks;
        } else if (type == AE_IFREG) {
            files_.insert(key);
            ++stats_.files;
        } else if (type == AE_IFDIR) {
            ++stats_.directories;
        } else {
            const char* kind = type == AE_IFCHR    ? "a character device"
                               : type == AE_IFBLK  ? "a block device"
                               : type == AE_IFIFO  ? "a fifo"
                               : type == AE_IFSOCK ? "a socket"
                                                   : "of an unknown type";
            throw Hostile{name, fmt::format("is {}", kind)};
        }

        archive_entry_set_pathname(entry, (root_ / key).c_str());
        if (archive_write_header(out, entry) != ARCHIVE_OK)
            disk_failed(out, name);
        if (type == AE_IFREG && hardlink == nullptr)
            copy_data(in, out, name);
        if (archive_write_finish_entry(out) != ARCHIVE_OK)
            disk_failed(out, name);
    }

    void copy_data(archive* in, archive* out, const std::string& name) {
        const void* buffer = nullptr;
        std::size_t size = 0;
        la_int64_t offset = 0;
        while (true) {
            const int r = archive_read_data_block(in, &buffer, &size, &offset);
            if (r == ARCHIVE_EOF)
                return;
            if (r < ARCHIVE_WARN)
                damaged(in);
            if (archive_write_data_block(out, buffer, size, offset) < ARCHIVE_WARN)
                disk_failed(out, name);
            stats_.bytes += size;
        }
    }

    stdfs::path archive_path_;
    stdfs::path root_;
    ExtractStats stats_;
    std::set<std::string> dirs_;
    std::set<std::string> files_;
    std::set<std::string> seen_;
    Links links_;
};

}  // namespace

ExtractStats extract_archive(const stdfs::path& archive_path, const stdfs::path& dest) {
    std::error_code ec;
    if (!stdfs::create_directory(dest, ec) || ec)
        throw_errno("create directory", dest.string(), ec ? ec.value() : EEXIST);
    // A root without symlinks, so that SECURE_SYMLINKS judges only the members.
    const auto root = stdfs::canonical(dest, ec);
    try {
        if (ec)
            throw_errno("resolve", dest.string(), ec.value());
        return Extractor(archive_path, root).run();
    } catch (const Hostile& h) {
        fs::remove_tree(dest);
        throw Error(ErrorCode::integrity,
                    fmt::format("archive '{}' is unsafe: member '{}' {}",
                                archive_path.filename().string(), h.member, h.reason),
                    "nothing was installed; the archive or its source is not trustworthy");
    } catch (...) {
        fs::remove_tree(dest);
        throw;
    }
}

}  // namespace omni::python
