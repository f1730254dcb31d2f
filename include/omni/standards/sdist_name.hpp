#pragma once
// Source distribution file names: "{name}-{version}" plus an archive suffix
// (PEP 625's .tar.gz, and the .zip, .tar.bz2, .tar.xz and .tgz that older
// releases on real indexes still carry).
#include <optional>
#include <string_view>

namespace omni::standards {

// "foo-1.0" for "foo-1.0.tar.gz"; nullopt when the name is not an sdist's.
std::optional<std::string_view> sdist_stem(std::string_view filename);

}  // namespace omni::standards
