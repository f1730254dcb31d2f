#include "omni/install/env_check.hpp"

#include <sys/stat.h>

#include "install/wheel_checks.hpp"
#include "omni/install/env_transaction.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/hash.hpp"

namespace omni::install {

namespace stdfs = std::filesystem;

EnvReport check_env(const stdfs::path& env_root, const stdfs::path& library, bool deep) {
    EnvReport report;
    report.env_root = env_root;
    report.pending_journal = has_pending_journal(env_root);
    report.phantoms = list_phantoms(library);
    for (const auto& dist : list_installed(library)) {
        ++report.distributions;
        DamagedDist damage{dist, {}, {}};
        std::vector<RecordRow> rows;
        try {
            rows = parse_record(fs::read_file(dist.dist_info / "RECORD"), dist.dist_info.string());
        } catch (const Error&) {
            damage.missing.push_back(dist.dist_info.filename().string() + "/RECORD (unreadable)");
        }
        for (const auto& row : rows) {
            const auto path = (library / row.path).lexically_normal();
            struct stat st {};
            if (::lstat(path.c_str(), &st) != 0) {
                if (!row.hash.empty())  // byte code RECORD lists without a hash may go
                    damage.missing.push_back(row.path);
                continue;
            }
            if (row.hash.empty())
                continue;
            if (!row.size.empty() && std::to_string(st.st_size) != row.size) {
                damage.modified.push_back(row.path);
                continue;
            }
            if (deep && S_ISREG(st.st_mode) && row.hash.starts_with("sha256=") &&
                "sha256=" + sha256_record_digest(fs::read_file(path)) != row.hash)
                damage.modified.push_back(row.path);
        }
        if (!damage.missing.empty() || !damage.modified.empty())
            report.damaged.push_back(std::move(damage));
    }
    return report;
}

}  // namespace omni::install
