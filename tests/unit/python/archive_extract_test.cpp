#include <catch2/catch.hpp>

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <memory>

#include "omni/python/archive_extract.hpp"
#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "support/temp_dir.hpp"

using namespace omni;
using namespace omni::python;
namespace stdfs = std::filesystem;

namespace {

enum class Kind { file, dir, symlink, hardlink, chardev, fifo };

struct Member {
    std::string name;
    Kind kind = Kind::file;
    std::string text;  // file content, or link target
    unsigned mode = 0644;
};

// A .tar.gz written with libarchive, exactly as listed (no checks).
void write_tar_gz(const stdfs::path& out, const std::vector<Member>& members) {
    std::unique_ptr<archive, decltype(&archive_write_free)> a(archive_write_new(),
                                                              archive_write_free);
    archive_write_add_filter_gzip(a.get());
    archive_write_set_format_pax_restricted(a.get());
    REQUIRE(archive_write_open_filename(a.get(), out.c_str()) == ARCHIVE_OK);
    for (const auto& m : members) {
        std::unique_ptr<archive_entry, decltype(&archive_entry_free)> e(archive_entry_new(),
                                                                        archive_entry_free);
        archive_entry_set_pathname(e.get(), m.name.c_str());
        archive_entry_set_perm(e.get(), m.mode);
        archive_entry_set_mtime(e.get(), 1700000000, 0);
        switch (m.kind) {
            case Kind::file:
                archive_entry_set_filetype(e.get(), AE_IFREG);
                archive_entry_set_size(e.get(), static_cast<la_int64_t>(m.text.size()));
                break;
            case Kind::dir:
                archive_entry_set_filetype(e.get(), AE_IFDIR);
                break;
            case Kind::symlink:
                archive_entry_set_filetype(e.get(), AE_IFLNK);
                archive_entry_set_symlink(e.get(), m.text.c_str());
                break;
            case Kind::hardlink:
                archive_entry_set_filetype(e.get(), AE_IFREG);
                archive_entry_set_hardlink(e.get(), m.text.c_str());
                break;
            case Kind::chardev:
                archive_entry_set_filetype(e.get(), AE_IFCHR);
                archive_entry_set_rdevmajor(e.get(), 1);
                archive_entry_set_rdevminor(e.get(), 3);
                break;
            case Kind::fifo:
                archive_entry_set_filetype(e.get(), AE_IFIFO);
                break;
        }
        REQUIRE(archive_write_header(a.get(), e.get()) == ARCHIVE_OK);
        if (m.kind == Kind::file && !m.text.empty())
            archive_write_data(a.get(), m.text.data(), m.text.size());
    }
    REQUIRE(archive_write_close(a.get()) == ARCHIVE_OK);
}

const std::vector<Member> good_start = {
    {"python/", Kind::dir, "", 0755},
    {"python/bin/", Kind::dir, "", 0755},
    {"python/bin/python3.12", Kind::file, "#!/bin/sh\necho hi\n", 0755},
    {"python/bin/python3", Kind::symlink, "python3.12"},
};

// Extracting `members` (after a few good ones) must fail naming `bad` and
// leave nothing behind, not even the good members.
void check_rejected(const std::vector<Member>& members, const std::string& bad,
                    const std::string& reason) {
    test::TempDir dir;
    auto all = good_start;
    all.insert(all.end(), members.begin(), members.end());
    write_tar_gz(dir / "evil.tar.gz", all);
    const auto dest = dir / "out";
    try {
        extract_archive(dir / "evil.tar.gz", dest);
        FAIL("extracted a hostile archive: " << bad);
    } catch (const Error& e) {
        const std::string message = e.what();
        INFO(message);
        CHECK(e.code() == ErrorCode::integrity);
        CHECK(message.find("member '" + bad + "'") != std::string::npos);
        CHECK(message.find(reason) != std::string::npos);
    }
    CHECK_FALSE(stdfs::exists(dest));
    // Nothing escaped next to the extraction root either.
    CHECK_FALSE(stdfs::exists(dir / "evil"));
    CHECK_FALSE(stdfs::exists(dir.path().parent_path() / "evil"));
}

}  // namespace

TEST_CASE("a python-build-standalone shaped archive extracts with links and modes") {
    test::TempDir dir;
    auto members = good_start;
    members.push_back({"python/lib/", Kind::dir, "", 0755});
    members.push_back({"python/lib/python3.12/os.py", Kind::file, "import sys\n", 0644});
    members.push_back(
        {"python/lib/python3.12/same.py", Kind::hardlink, "python/lib/python3.12/os.py"});
    members.push_back({"python/lib/up", Kind::symlink, "../bin/python3"});
    members.push_back({"python/setuid", Kind::file, "x", 04755});
    write_tar_gz(dir / "ok.tar.gz", members);
    const auto out = dir / "out";
    const auto stats = extract_archive(dir / "ok.tar.gz", out);
    CHECK(stats.files == 3);
    CHECK(stats.symlinks == 2);
    CHECK(stats.hardlinks == 1);
    CHECK(fs::read_file(out / "python/bin/python3") == "#!/bin/sh\necho hi\n");
    CHECK(stdfs::read_symlink(out / "python/bin/python3") == "python3.12");
    CHECK(fs::read_file(out / "python/lib/python3.12/same.py") == "import sys\n");
    CHECK(stdfs::hard_link_count(out / "python/lib/python3.12/os.py") == 2);
    CHECK(fs::read_file(out / "python/lib/up") == "#!/bin/sh\necho hi\n");
    struct stat st {};
    REQUIRE(::stat((out / "python/bin/python3.12").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0755);
    REQUIRE(::stat((out / "python/setuid").c_str(), &st) == 0);
    CHECK((st.st_mode & 07000) == 0);  // no setuid bit survives
    CHECK(st.st_mtime == 1700000000);  // kept, so that .pyc files stay valid
}

TEST_CASE("hostile members are rejected with nothing left behind") {
    SECTION("parent traversal") {
        check_rejected({{"../evil", Kind::file, "x"}}, "../evil", "'..'");
        check_rejected({{"python/../../evil", Kind::file, "x"}}, "python/../../evil", "'..'");
    }
    SECTION("absolute path") {
        check_rejected({{"/tmp/evil", Kind::file, "x"}}, "/tmp/evil", "absolute");
    }
    SECTION("symlink to an absolute path") {
        check_rejected({{"python/etc", Kind::symlink, "/etc"}}, "python/etc", "absolute");
    }
    SECTION("symlink climbing out") {
        check_rejected({{"python/out", Kind::symlink, "../../.."}}, "python/out", "outside");
    }
    SECTION("symlink chain escaping") {
        // here -> . is harmless alone; up -> here/.. resolves to the root's parent.
        check_rejected({{"here", Kind::symlink, "."}, {"up", Kind::symlink, "here/.."}}, "up",
                       "outside");
        // A later link that makes an earlier one escape.
        check_rejected({{"python/a", Kind::symlink, "b/.."}, {"python/b", Kind::symlink, ".."}},
                       "python/b", "outside");
    }
    SECTION("writing through a symlink") {
        check_rejected({{"python/lnk", Kind::symlink, "bin"}, {"python/lnk/evil", Kind::file, "x"}},
                       "python/lnk/evil", "symlink");
    }
    SECTION("devices and fifos") {
        check_rejected({{"python/null", Kind::chardev, ""}}, "python/null", "character device");
        check_rejected({{"python/pipe", Kind::fifo, ""}}, "python/pipe", "fifo");
    }
    SECTION("hardlink outside") {
        check_rejected({{"python/passwd", Kind::hardlink, "../../etc/passwd"}}, "python/passwd",
                       "'..'");
        check_rejected({{"python/passwd", Kind::hardlink, "/etc/passwd"}}, "python/passwd",
                       "absolute");
        check_rejected({{"python/x", Kind::hardlink, "python/not-there"}}, "python/x",
                       "not a file extracted before it");
    }
    SECTION("a member twice") {
        check_rejected({{"python/bin/python3", Kind::file, "x"}}, "python/bin/python3",
                       "appears twice");
    }
}

TEST_CASE("a damaged archive is an integrity error and leaves nothing") {
    test::TempDir dir;
    write_tar_gz(dir / "ok.tar.gz", good_start);
    auto bytes = fs::read_file(dir / "ok.tar.gz");
    for (std::size_t i = 20; i < bytes.size() - 8; ++i)
        bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
    fs::atomic_write(dir / "bad.tar.gz", bytes);
    CHECK_THROWS_AS(extract_archive(dir / "bad.tar.gz", dir / "out"), Error);
    CHECK_FALSE(stdfs::exists(dir / "out"));
    fs::atomic_write(dir / "text.tar.gz", "just text, not an archive\n");
    try {
        extract_archive(dir / "text.tar.gz", dir / "out");
        FAIL("extracted text");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::integrity);
    }
    CHECK_FALSE(stdfs::exists(dir / "out"));
}
