#include "omni/install/unpacked_wheel.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>

#include <algorithm>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "install/wheel_checks.hpp"
#include "omni/home/staging.hpp"
#include "omni/standards/name.hpp"
#include "omni/standards/wheel_name.hpp"
#include "omni/util/file_lock.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/hash.hpp"
#include "omni/util/log.hpp"

namespace omni::install {

namespace {

namespace stdfs = std::filesystem;

Error rejected(const stdfs::path& wheel, const std::string& what) {
    return Error(ErrorCode::integrity,
                 fmt::format("wheel '{}' is rejected: {}", wheel.string(), what),
                 "the file is damaged or not a valid wheel; get it again from a trusted index");
}

class ArchiveReader {
  public:
    explicit ArchiveReader(const stdfs::path& path) : archive_(archive_read_new()) {
        archive_read_support_format_zip(archive_);
        if (archive_read_open_filename(archive_, path.c_str(), 1 << 16) != ARCHIVE_OK)
            throw rejected(path, message());
    }
    ArchiveReader(const ArchiveReader&) = delete;
    ArchiveReader& operator=(const ArchiveReader&) = delete;
    ~ArchiveReader() { archive_read_free(archive_); }
    archive* get() { return archive_; }
    std::string message() const {
        const char* text = archive_error_string(archive_);
        return text ? text : "unreadable zip";
    }

  private:
    archive* archive_;
};

// Extracts every member into `dest`, checking names and types.
std::vector<std::string> extract(const stdfs::path& wheel, const stdfs::path& dest) {
    ArchiveReader reader(wheel);
    std::vector<std::string> files;
    std::set<std::string> seen;
    archive_entry* entry = nullptr;
    for (;;) {
        const int rc = archive_read_next_header(reader.get(), &entry);
        if (rc == ARCHIVE_EOF)
            break;
        if (rc != ARCHIVE_OK)
            throw rejected(wheel, reader.message());
        const char* raw = archive_entry_pathname(entry);
        const std::string name = raw ? raw : "";
        check_member_name(wheel.string(), name);
        const auto type = archive_entry_filetype(entry);
        if (type == AE_IFDIR)
            continue;
        if (type != AE_IFREG || archive_entry_hardlink(entry) != nullptr)
            throw rejected(
                wheel, fmt::format("member '{}' is not a regular file (a link or device)", name));
        if (!seen.insert(name).second)
            throw rejected(wheel, fmt::format("member '{}' appears twice", name));
        const auto target = dest / name;
        stdfs::create_directories(target.parent_path());
        std::string data;
        const void* block = nullptr;
        size_t size = 0;
        la_int64_t offset = 0;
        for (;;) {
            const int r = archive_read_data_block(reader.get(), &block, &size, &offset);
            if (r == ARCHIVE_EOF)
                break;
            if (r != ARCHIVE_OK)
                throw rejected(wheel, fmt::format("member '{}': {}", name, reader.message()));
            data.append(static_cast<const char*>(block), size);
        }
        // Executable bits survive; nothing else from the archive's modes does.
        const unsigned mode = (archive_entry_perm(entry) & 0111) ? 0755 : 0644;
        fs::write_new_file(target, data, mode);
        files.push_back(name);
    }
    std::sort(files.begin(), files.end());
    return files;
}

void verify_record(const stdfs::path& wheel, const stdfs::path& root, const std::string& dist_info,
                   const std::vector<std::string>& files) {
    const auto record_path = dist_info + "/RECORD";
    if (!std::binary_search(files.begin(), files.end(), record_path))
        throw rejected(wheel, fmt::format("it has no {}", record_path));
    std::map<std::string, RecordRow> rows;
    for (auto& row : parse_record(fs::read_file(root / record_path), wheel.string())) {
        check_member_name(wheel.string(), row.path);
        rows.emplace(row.path, std::move(row));
    }
    for (const auto& file : files) {
        if (file == record_path || file.ends_with(".dist-info/RECORD.jws") ||
            file.ends_with(".dist-info/RECORD.p7s"))
            continue;
        const auto row = rows.find(file);
        if (row == rows.end())
            throw rejected(wheel, fmt::format("'{}' is not listed in RECORD", file));
        const auto& hash = row->second.hash;
        if (!hash.starts_with("sha256="))
            throw rejected(wheel, fmt::format("RECORD has no sha256 for '{}'", file));
        const std::string data = fs::read_file(root / file);
        if (hash.substr(7) != sha256_record_digest(data))
            throw rejected(wheel, fmt::format("'{}' does not match its RECORD hash", file));
        if (!row->second.size.empty() && row->second.size != std::to_string(data.size()))
            throw rejected(wheel, fmt::format("'{}' does not match its RECORD size", file));
    }
}

std::string find_dist_info(const stdfs::path& wheel, const std::vector<std::string>& files) {
    std::set<std::string> dirs;
    for (const auto& f : files) {
        const auto slash = f.find('/');
        if (slash != std::string::npos && f.substr(0, slash).ends_with(".dist-info"))
            dirs.insert(f.substr(0, slash));
    }
    if (dirs.size() != 1)
        throw rejected(wheel, dirs.empty() ? "it has no .dist-info directory"
                                           : "it has more than one .dist-info directory");
    return *dirs.begin();
}

UnpackedWheel describe(const stdfs::path& wheel, const stdfs::path& root, const std::string& sha) {
    UnpackedWheel out;
    out.root = root;
    out.sha256 = sha;
    out.filename = wheel.filename().string();
    for (const auto& entry : stdfs::recursive_directory_iterator(root))
        if (entry.is_regular_file())
            out.files.push_back(entry.path().lexically_relative(root).string());
    std::sort(out.files.begin(), out.files.end());
    out.dist_info = find_dist_info(wheel, out.files);
    const auto stem =
        out.dist_info.substr(0, out.dist_info.size() - std::string(".dist-info").size());
    const auto dash = stem.find('-');
    out.name = stem.substr(0, dash);
    out.version = dash == std::string::npos ? "" : stem.substr(dash + 1);
    for (auto& row : parse_record(fs::read_file(root / out.dist_info / "RECORD"), out.filename))
        out.record.emplace(std::move(row.path),
                           std::make_pair(std::move(row.hash), std::move(row.size)));
    out.root_is_purelib =
        parse_wheel_file(fs::read_file(root / out.dist_info / "WHEEL"), out.filename)
            .root_is_purelib;
    std::error_code ec;
    if (stdfs::exists(root / out.dist_info / "entry_points.txt", ec))
        out.entry_points = parse_entry_points(
            fs::read_file(root / out.dist_info / "entry_points.txt"), out.filename);
    if (stdfs::exists(root / out.dist_info / "top_level.txt", ec)) {
        out.top_level = read_lines(root / out.dist_info / "top_level.txt");
    } else {
        // No top_level.txt: the top directories and modules that are not metadata.
        std::set<std::string> tops;
        for (const auto& f : out.files) {
            const auto slash = f.find('/');
            std::string top = slash == std::string::npos ? f : f.substr(0, slash);
            if (top.ends_with(".dist-info") || top.ends_with(".data"))
                continue;
            if (slash == std::string::npos) {
                if (!top.ends_with(".py"))
                    continue;
                top = top.substr(0, top.size() - 3);
            }
            tops.insert(top);
        }
        out.top_level.assign(tops.begin(), tops.end());
    }
    return out;
}

// Each unpacked tree has a manifest beside it (<sha256>.manifest): size,
// mtime, inode and path of every file, taken when the tree was checked. A
// tree that no longer matches it (a file edited through a hard link into an
// env, or added, or removed) is not linked from again.
stdfs::path manifest_path(const stdfs::path& tree) {
    return tree.string() + ".manifest";
}

std::string manifest_text(const stdfs::path& root, const std::vector<std::string>& files) {
    std::string out;
    for (const auto& f : files) {
        struct stat st {};
        if (::lstat((root / f).c_str(), &st) != 0)
            return {};
        out += fmt::format("{} {}.{:09} {} {}\n", st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                           st.st_ino, f);
    }
    return out;
}

bool matches_manifest(const stdfs::path& root, const std::vector<std::string>& files) {
    std::error_code ec;
    if (!stdfs::exists(manifest_path(root), ec))
        return false;
    const auto text = manifest_text(root, files);
    return !text.empty() && fs::read_file(manifest_path(root)) == text;
}

// The tree at `root` when it is whole; nullopt when it must be unpacked again.
std::optional<UnpackedWheel> whole_tree(const stdfs::path& wheel, const stdfs::path& root,
                                        const std::string& sha, bool verify) {
    std::error_code ec;
    if (!stdfs::exists(root, ec))
        return std::nullopt;
    try {
        auto d = describe(wheel, root, sha);
        if (matches_manifest(root, d.files))
            return d;
        if (!verify || stdfs::exists(manifest_path(root), ec))
            return std::nullopt;
        // A tree from before manifests: its hashes are checked once.
        verify_record(wheel, root, d.dist_info, d.files);
        fs::atomic_write(manifest_path(root), manifest_text(root, d.files));
        return d;
    } catch (const Error&) {
        return std::nullopt;
    }
}

}  // namespace

UnpackedWheel unpack_wheel(const Home& home, const stdfs::path& wheel,
                           const std::string& known_sha256) {
    const auto parsed_name = standards::WheelName::parse(wheel.filename().string());
    if (!parsed_name)
        throw parsed_name.error();
    const std::string sha = known_sha256.empty() ? sha256_file(wheel) : known_sha256;
    const auto final_path = home.cache_dir() / "unpacked" / sha;
    std::error_code ec;
    if (auto tree = whole_tree(wheel, final_path, sha, false))
        return *tree;
    const auto lock = FileLock::acquire(home.lock_file("unpacked-" + sha), LockMode::exclusive,
                                        std::chrono::minutes(5));
    if (auto tree = whole_tree(wheel, final_path, sha, true))
        return *tree;
    if (stdfs::exists(final_path, ec)) {
        logger().warn(
            "the unpacked tree of {} no longer matches its wheel (a file was changed, "
            "added or removed); unpacking it again",
            wheel.filename().string());
        auto graveyard = StagingDir::create(home, "damaged-unpacked");
        if (::rename(final_path.c_str(), (graveyard.path() / "tree").c_str()) != 0)
            throw_errno("move away", final_path.string(), errno);
        stdfs::remove(manifest_path(final_path), ec);
    }

    check_no_trailing_data(wheel);
    auto staging = StagingDir::create(home, "unpack");
    const auto files = extract(wheel, staging.path());
    const auto dist_info = find_dist_info(wheel, files);
    // The file name, the dist-info directory and WHEEL must agree.
    const auto stem = dist_info.substr(0, dist_info.size() - std::string(".dist-info").size());
    const auto dash = stem.find('-');
    const auto dist_name = standards::normalize_name(stem.substr(0, dash));
    const auto dist_version = dash == std::string::npos ? std::string() : stem.substr(dash + 1);
    const auto wheel_project = standards::normalize_name(parsed_name->name);
    const auto dist_parsed = standards::Version::parse(dist_version);
    if (dist_name != wheel_project || !dist_parsed || *dist_parsed != parsed_name->version)
        throw rejected(wheel, fmt::format("its file name says {} {} but it holds {}", wheel_project,
                                          parsed_name->version.to_string(), dist_info));
    if (!std::binary_search(files.begin(), files.end(), dist_info + "/WHEEL"))
        throw rejected(wheel, fmt::format("it has no {}/WHEEL", dist_info));
    (void)parse_wheel_file(fs::read_file(staging.path() / dist_info / "WHEEL"), wheel.string());
    verify_record(wheel, staging.path(), dist_info, files);
    stdfs::create_directories(final_path.parent_path());
    fs::sync_filesystem(staging.path());  // durable before it becomes visible
    staging.publish(final_path);
    auto out = describe(wheel, final_path, sha);
    fs::atomic_write(manifest_path(final_path), manifest_text(final_path, out.files));
    return out;
}

std::optional<UnpackedWheel> find_unpacked(const Home& home, const std::string& sha256,
                                           const std::string& filename) {
    const auto parsed = standards::WheelName::parse(filename);
    if (!is_sha256_hex(sha256) || !parsed || filename.find('/') != std::string::npos)
        return std::nullopt;
    const auto tree = home.cache_dir() / "unpacked" / sha256;
    auto found = whole_tree(filename, tree, sha256, false);
    if (found && standards::normalize_name(found->name) != parsed->name)
        return std::nullopt;  // another project's tree under that key
    return found;
}

}  // namespace omni::install
