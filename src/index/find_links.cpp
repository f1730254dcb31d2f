// find-links directories: every wheel and sdist in one directory.
#include <algorithm>
#include <system_error>

#include "index/names.hpp"
#include "omni/index/simple_api.hpp"
#include "omni/index/url.hpp"

namespace omni {

ProjectPage list_find_links_dir(const std::filesystem::path& dir) {
    ProjectPage page;
    page.url = path_to_file_url(dir);
    std::error_code ec;
    std::filesystem::directory_iterator it(dir, ec);
    if (ec)
        throw Error(ErrorCode::io,
                    "cannot read find-links directory '" + dir.string() + "': " + ec.message(),
                    "check the --find-links path");
    for (const auto& entry : it) {
        const auto name = entry.path().filename().string();
        if (!index_detail::is_distribution_filename(name))
            continue;
        if (!entry.is_regular_file(ec))
            continue;
        DistFile file;
        file.filename = name;
        file.url = path_to_file_url(entry.path());
        file.size = static_cast<std::uint64_t>(entry.file_size(ec));
        if (ec)
            file.size.reset();
        page.files.push_back(std::move(file));
    }
    std::ranges::sort(page.files, {}, &DistFile::filename);
    return page;
}

}  // namespace omni
