#pragma once
// A fresh directory under the system temp dir, removed with everything in it.
#include <cstdlib>
#include <filesystem>
#include <string>

#include "omni/util/fs.hpp"

namespace omni::test {

class TempDir {
  public:
    TempDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "omni-test-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr)
            throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        try {
            fs::remove_tree(path_);
        } catch (...) {
        }
    }
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  private:
    std::filesystem::path path_;
};

inline void write_text(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    fs::atomic_write(path, text);
}

}  // namespace omni::test
