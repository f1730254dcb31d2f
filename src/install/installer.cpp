#include "omni/install/installer.hpp"

#include <unistd.h>

#include <algorithm>
#include <regex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

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

void refuse_existing(const stdfs::path& dest) {
    std::error_code ec;
    if (stdfs::exists(stdfs::symlink_status(dest, ec)))
        throw Error(
            ErrorCode::conflict,
            fmt::format("'{}' already exists and belongs to another distribution", dest.string()),
            "uninstall the distribution that owns it first");
}

void link_or_copy(const stdfs::path& from, const stdfs::path& to) {
    stdfs::create_directories(to.parent_path());
    refuse_existing(to);
    if (::link(from.c_str(), to.c_str()) == 0)
        return;
    std::error_code ec;
    stdfs::copy_file(from, to, ec);
    if (ec)
        throw_errno("install", to.string(), ec.value());
}

void write_new(const stdfs::path& to, std::string_view content, unsigned mode) {
    stdfs::create_directories(to.parent_path());
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

}  // namespace

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

InstalledDistribution install_wheel(const UnpackedWheel& wheel, const InstallTarget& target,
                                    const InstallOptions& options) {
    CreatedFiles created;
    // Per created file: its path in the wheel when linked unchanged, else "".
    std::vector<std::string> origins;
    const auto add = [&](const stdfs::path& path, const std::string& origin) {
        created.add(path);
        origins.push_back(origin);
    };
    const stdfs::path root_lib = wheel.root_is_purelib ? target.purelib : target.platlib;
    const std::string data_prefix = wheel.name + "-" + wheel.version + ".data/";
    for (const auto& file : wheel.files) {
        const auto source = wheel.root / file;
        if (file.starts_with(wheel.dist_info + "/RECORD") ||
            file == wheel.dist_info + "/INSTALLER" || file == wheel.dist_info + "/REQUESTED")
            continue;  // written fresh below
        if (!file.starts_with(data_prefix)) {
            link_or_copy(source, root_lib / file);
            add(root_lib / file, file);
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
            write_new(dest, text, 0755);
            add(dest, "");
        } else {
            link_or_copy(source, dest);
            add(dest, file);
        }
    }
    for (const auto& ep : wheel.entry_points) {
        const auto dest = target.scripts / launcher_name(ep.name, target.python_x_y);
        if (std::find(created.files().begin(), created.files().end(), dest) !=
            created.files().end())
            continue;  // two names that became one
        write_new(dest, launcher(target.python, ep), 0755);
        add(dest, "");
    }
    const auto dist_info = root_lib / wheel.dist_info;
    write_new(dist_info / "INSTALLER", "omni\n", 0644);
    add(dist_info / "INSTALLER", "");
    if (options.requested) {
        write_new(dist_info / "REQUESTED", "", 0644);
        add(dist_info / "REQUESTED", "");
    }
    if (options.direct_url) {
        write_new(dist_info / "direct_url.json", *options.direct_url, 0644);
        add(dist_info / "direct_url.json", "");
    }
    // RECORD: every installed file relative to the library directory. Files
    // linked as they are keep the hash RECORD gave them (checked on
    // unpacking); only files written here are hashed.
    std::string record;
    for (std::size_t i = 0; i < created.files().size(); ++i) {
        const auto& path = created.files()[i];
        const auto& origin = origins[i];
        const auto known = origin.empty() ? wheel.record.end() : wheel.record.find(origin);
        if (known != wheel.record.end() && !known->second.first.empty()) {
            record += fmt::format("{},{},{}\n", path.lexically_relative(root_lib).string(),
                                  known->second.first, known->second.second);
            continue;
        }
        const std::string content = fs::read_file(path);
        record += fmt::format("{},sha256={},{}\n", path.lexically_relative(root_lib).string(),
                              sha256_record_digest(content), content.size());
    }
    record += (wheel.dist_info + "/RECORD,,\n");
    write_new(dist_info / "RECORD", record, 0644);
    created.add(dist_info / "RECORD");
    created.commit();
    return {wheel.name, wheel.version, wheel.top_level, created.files()};
}

}  // namespace omni::install
