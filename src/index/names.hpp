#pragma once
// Project names as the index client needs them, until the standards module
// provides them.
#include <string>
#include <string_view>

namespace omni::index_detail {

// PEP 503: runs of -, _ and . become one '-', lower-case.
// replaced by standards::normalize_name when merged
std::string normalize_name(std::string_view name);

// The normalized project name a distribution file belongs to
// ("Foo_Bar-1.0-py3-none-any.whl" and "foo.bar-1.0.tar.gz" -> "foo-bar"), or
// empty when the name is neither a wheel nor an sdist.
// replaced by standards wheel/sdist filename parsing when merged
std::string project_of_filename(std::string_view filename);

bool is_distribution_filename(std::string_view filename);

}  // namespace omni::index_detail
