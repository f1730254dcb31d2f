#include "omni/install/installer.hpp"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include <algorithm>
#include <regex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "omni/home/config.hpp"
#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/hash.hpp"

namespace omni::install {

namespace {

namespace stdfs = std::filesystem;

// Every file created so far; removed again unless the install completes.
class CreatedFiles {
  public:
    ~CreatedFiles() {
        if (committed_)
            return;
        for (auto it = files_.rbegin(); it != files_.rend(); ++it) {
            std::error_code ec;
            stdfs::remove(*it, ec);
        }
    }
    void add(const stdfs::path& p) { files_.push_back(p); }
    void commit() { committed_ = true; }
    const std::vector<stdfs::path>& files() const { return files_; }

  private:
    std::vector<stdfs::path> files_;
    bool committed_ = false;
};

[[noreturn]] void refuse_existing(const stdfs::path& dest) {
    throw Error(
        ErrorCode::conflict,
        fmt::format("'{}' already exists and belongs to another distribution", dest.string()),
        "uninstall the distribution that owns it first");
}

void write_new(const stdfs::path& to, std::string_view content, unsigned mode) {
    std::error_code ec;
    stdfs::create_directories(to.parent_path());
    if (stdfs::exists(stdfs::symlink_status(to, ec)))
        refuse_existing(to);
    fs::write_new_file(to, content, mode);
}

std::string launcher(const stdfs::path& python, const EntryPoint& ep) {
    const auto dot = ep.object.find('.');
    const std::string import_name = ep.object.substr(0, dot);
    return fmt::format(
        "#!{}\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom {} import {}\n"
        "if __name__ == '__main__':\n"
        "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n"
        "    sys.exit({}())\n",
        python.string(), ep.module, import_name, ep.object);
}

// pip's own wheels name launchers after the Python that built them
// ("pip3.7"); like pip, name them after the target's Python instead.
std::string launcher_name(const std::string& name, const std::string& python_x_y) {
    static const std::regex versioned_pip(R"(^pip\d(\.\d+)?$)");
    static const std::regex versioned_easy_install(R"(^easy_install-\d+\.\d+$)");
    if (python_x_y.empty())
        return name;
    if (std::regex_match(name, versioned_pip))
        return name.find('.') == std::string::npos
                   ? "pip" + python_x_y.substr(0, python_x_y.find('.'))
                   : "pip" + python_x_y;
    if (std::regex_match(name, versioned_easy_install))
        return "easy_install-" + python_x_y;
    return name;
}

// Each returns 0 or the errno of the failure; nothing is left at `to` on
// failure. EEXIST and ENOENT (a missing directory) are for the caller.
int copy_into(const stdfs::path& from, const stdfs::path& to) {
    std::error_code ec;
    stdfs::copy_file(from, to, ec);
    if (!ec)
        return 0;
    int err = ec.value();
    if (err == EEXIST || err == ENOENT)
        return err;
    // A copy that ran out of room can report EIO: say what happened.
    struct statvfs vfs {};
    std::error_code size_ec;
    const auto need = stdfs::file_size(from, size_ec);
    if (::statvfs(to.parent_path().c_str(), &vfs) == 0 && !size_ec &&
        static_cast<std::uintmax_t>(vfs.f_bavail) * vfs.f_frsize < need)
        err = ENOSPC;
    ::unlink(to.c_str());
    return err;
}

// -1 when the file system cannot clone (nothing left at `to`).
int try_clone(const stdfs::path& from, const stdfs::path& to) {
    const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return -1;
    struct stat st {};
    ::fstat(in, &st);
    const int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st.st_mode & 0777);
    if (out < 0) {
        const int err = errno;
        ::close(in);
        return err;
    }
    const bool ok = ::ioctl(out, FICLONE, in) == 0;
    ::close(in);
    ::close(out);
    if (!ok) {
        ::unlink(to.c_str());
        return -1;
    }
    return 0;
}

int hard_link(const stdfs::path& from, const stdfs::path& to) {
    return ::link(from.c_str(), to.c_str()) == 0 ? 0 : errno;
}

bool for_caller(int err) {
    return err == 0 || err == EEXIST || err == ENOENT;
}

}  // namespace

LinkMode parse_link_mode(std::string_view text, std::string_view source) {
    if (text == "clone")
        return LinkMode::clone;
    if (text == "hardlink")
        return LinkMode::hardlink;
    if (text == "copy")
        return LinkMode::copy;
    if (text == "symlink")
        return LinkMode::symlink;
    if (text == "auto" || text == "automatic")
        return LinkMode::automatic;
    throw Error(ErrorCode::invalid_input,
                fmt::format("unknown link mode '{}' (from {})", text, source),
                "use clone, hardlink, copy or symlink");
}

LinkMode choose_link_mode(const std::string& flag, const Home& home) {
    if (!flag.empty())
        return parse_link_mode(flag, "--link-mode");
    if (const char* env = std::getenv("OMNI_LINK_MODE"); env && *env)
        return parse_link_mode(env, "OMNI_LINK_MODE");
    if (const auto value = Config(home).get("install.link-mode")) {
        if (!value->is_string())
            throw Error(
                ErrorCode::invalid_input,
                fmt::format("config install.link-mode must be a string, not {}", value->dump()),
                "omni config set install.link-mode hardlink");
        return parse_link_mode(value->get<std::string>(), "config install.link-mode");
    }
    return LinkMode::automatic;
}

std::string_view to_string(LinkMode mode) {
    switch (mode) {
        case LinkMode::clone:
            return "clone";
        case LinkMode::hardlink:
            return "hardlink";
        case LinkMode::copy:
            return "copy";
        case LinkMode::symlink:
            return "symlink";
        case LinkMode::automatic:
            break;
    }
    return "auto";
}

int Linker::attempt(const stdfs::path& from, const stdfs::path& to) {
    switch (mode_) {
        case LinkMode::automatic: {
            if (const int err = try_clone(from, to); err >= 0) {
                if (err == 0)
                    mode_ = LinkMode::clone;
                return err;
            }
            if (const int err = hard_link(from, to); for_caller(err)) {
                if (err == 0)
                    mode_ = LinkMode::hardlink;
                return err;
            }
            mode_ = LinkMode::copy;
            return copy_into(from, to);
        }
        case LinkMode::clone: {
            const int err = try_clone(from, to);
            return err >= 0 ? err : copy_into(from, to);  // this file system cannot clone
        }
        case LinkMode::hardlink: {
            const int err = hard_link(from, to);
            // Another file system, or the link limit: a copy.
            return for_caller(err) ? err : copy_into(from, to);
        }
        case LinkMode::copy:
            return copy_into(from, to);
        case LinkMode::symlink:
            return ::symlink(stdfs::absolute(from).c_str(), to.c_str()) == 0 ? 0 : errno;
    }
    return EINVAL;
}

void Linker::place(const stdfs::path& from, const stdfs::path& to) {
    // The plan checked the destinations; the file system checks them again
    // (O_EXCL, link, symlink fail on anything there), so a file costs its
    // one system call and a directory is made only when one is missing.
    int err = attempt(from, to);
    if (err == ENOENT) {
        stdfs::create_directories(to.parent_path());
        err = attempt(from, to);
    }
    if (err == EEXIST)
        refuse_existing(to);
    if (err != 0)
        throw_errno("install", to.string(), err);
}

InstallTarget InstallTarget::bubble(const stdfs::path& root, const stdfs::path& python,
                                    const std::string& python_x_y) {
    return {root, root, root / "bin", root / "data", root / "include", python, python_x_y};
}

InstallTarget InstallTarget::venv(const stdfs::path& root, const std::string& python_x_y) {
    const auto site = root / "lib" / ("python" + python_x_y) / "site-packages";
    return {site,
            site,
            root / "bin",
            root,
            root / "include" / "site" / ("python" + python_x_y),
            root / "bin" / "python",
            python_x_y};
}

std::string direct_url_for_file(const stdfs::path& wheel, const std::string& sha256) {
    const nlohmann::json doc = {
        {"url", "file://" + stdfs::absolute(wheel).lexically_normal().string()},
        {"archive_info", {{"hashes", {{"sha256", sha256}}}, {"hash", "sha256=" + sha256}}}};
    return doc.dump();
}

WheelPlan plan_wheel(const UnpackedWheel& wheel, const InstallTarget& target,
                     const InstallOptions& options) {
    WheelPlan plan{wheel.name, wheel.version, wheel.top_level, {}, {}};
    // Per planned file: its path in the wheel when linked unchanged, else "".
    std::vector<std::string> origins;
    std::vector<PlannedFile> meta;  // the dist-info, written after everything else
    std::vector<std::string> meta_origins;
    const stdfs::path root_lib = wheel.root_is_purelib ? target.purelib : target.platlib;
    const auto dist_info = root_lib / wheel.dist_info;
    plan.dist_info = dist_info;
    const std::string data_prefix = wheel.name + "-" + wheel.version + ".data/";
    const auto link = [&](const stdfs::path& dest, const std::string& file) {
        const bool is_meta = file.starts_with(wheel.dist_info + "/");
        (is_meta ? meta : plan.files).push_back({dest, wheel.root / file, {}, 0644});
        (is_meta ? meta_origins : origins).push_back(file);
    };
    const auto write = [&](const stdfs::path& dest, std::string content, unsigned mode) {
        const bool is_meta = dest.native().starts_with(dist_info.native() + "/");
        (is_meta ? meta : plan.files).push_back({dest, {}, std::move(content), mode});
        (is_meta ? meta_origins : origins).push_back("");
    };
    const auto planned = [&](const stdfs::path& dest) {
        return std::any_of(plan.files.begin(), plan.files.end(),
                           [&](const PlannedFile& f) { return f.dest == dest; });
    };
    for (const auto& file : wheel.files) {
        const auto source = wheel.root / file;
        if (file.starts_with(wheel.dist_info + "/RECORD") ||
            file == wheel.dist_info + "/INSTALLER" || file == wheel.dist_info + "/REQUESTED")
            continue;  // written fresh below
        if (!file.starts_with(data_prefix)) {
            link(root_lib / file, file);
            continue;
        }
        const auto rest = file.substr(data_prefix.size());
        const auto slash = rest.find('/');
        const auto scheme = rest.substr(0, slash);
        const auto inner = slash == std::string::npos ? std::string() : rest.substr(slash + 1);
        stdfs::path dest;
        if (scheme == "purelib")
            dest = target.purelib / inner;
        else if (scheme == "platlib")
            dest = target.platlib / inner;
        else if (scheme == "scripts")
            dest = target.scripts / inner;
        else if (scheme == "data")
            dest = target.data / inner;
        else if (scheme == "headers")
            dest = target.headers / wheel.name / inner;
        else
            throw Error(
                ErrorCode::integrity,
                fmt::format("wheel '{}' has an unknown .data scheme '{}'", wheel.filename, scheme));
        if (scheme == "scripts") {
            // `#!python` becomes this interpreter; scripts are written, never
            // linked, since their first line changes.
            std::string text = fs::read_file(source);
            if (text.starts_with("#!python")) {
                const auto nl = text.find('\n');
                text = "#!" + target.python.string() +
                       (nl == std::string::npos ? "\n" : text.substr(nl));
            }
            write(dest, std::move(text), 0755);
        } else {
            link(dest, file);
        }
    }
    for (const auto& ep : wheel.entry_points) {
        const auto dest = target.scripts / launcher_name(ep.name, target.python_x_y);
        if (planned(dest))
            continue;  // two names that became one
        write(dest, launcher(target.python, ep), 0755);
    }
    write(dist_info / "INSTALLER", "omni\n", 0644);
    if (options.requested)
        write(dist_info / "REQUESTED", "", 0644);
    if (options.direct_url)
        write(dist_info / "direct_url.json", *options.direct_url, 0644);
    plan.files.insert(plan.files.end(), meta.begin(), meta.end());
    origins.insert(origins.end(), meta_origins.begin(), meta_origins.end());
    // RECORD: every installed file relative to the library directory. Files
    // linked as they are keep the hash RECORD gave them (checked on
    // unpacking); only files written here are hashed.
    std::string record;
    for (std::size_t i = 0; i < plan.files.size(); ++i) {
        const auto& file = plan.files[i];
        const auto rel = file.dest.lexically_relative(root_lib).string();
        const auto known = origins[i].empty() ? wheel.record.end() : wheel.record.find(origins[i]);
        if (known != wheel.record.end() && !known->second.first.empty()) {
            record += fmt::format("{},{},{}\n", rel, known->second.first, known->second.second);
            continue;
        }
        const std::string content = file.source.empty() ? file.content : fs::read_file(file.source);
        record +=
            fmt::format("{},sha256={},{}\n", rel, sha256_record_digest(content), content.size());
    }
    record += (wheel.dist_info + "/RECORD,,\n");
    plan.files.push_back({dist_info / "RECORD", {}, std::move(record), 0644});
    return plan;
}

void create_planned_file(const PlannedFile& file, Linker& linker) {
    if (file.source.empty())
        write_new(file.dest, file.content, file.mode);
    else
        linker.place(file.source, file.dest);
}

InstalledDistribution install_wheel(const UnpackedWheel& wheel, const InstallTarget& target,
                                    const InstallOptions& options) {
    const auto plan = plan_wheel(wheel, target, options);
    CreatedFiles created;
    Linker linker(options.link_mode);
    for (const auto& file : plan.files) {
        create_planned_file(file, linker);
        created.add(file.dest);
    }
    created.commit();
    return {plan.name, plan.version, plan.import_names, created.files()};
}

}  // namespace omni::install
