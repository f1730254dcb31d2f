#pragma once
// Distribution file names as the index client needs them.
#include <string>
#include <string_view>

namespace omni::index_detail {

// The normalized project name a distribution file belongs to
// ("Foo_Bar-1.0-py3-none-any.whl" and "foo.bar-1.0.tar.gz" -> "foo-bar"), or
// empty when the name is neither a wheel nor an sdist.
std::string project_of_filename(std::string_view filename);

bool is_distribution_filename(std::string_view filename);

}  // namespace omni::index_detail
