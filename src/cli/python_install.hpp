#pragma once
// What `omni swap python` and `omni python list` share with `omni python
// install`.
#include "omni/python/request.hpp"

namespace omni::cli {

class Context;

// Nothing when the registry already has an interpreter for `request`.
// Otherwise installs one from the catalogue when python.auto-install, --yes
// or the user's answer allows it, and refreshes the registry; when not,
// throws the registry's not_found error with a hint naming the download.
void install_missing_python(Context& context, const python::PythonRequest& request, bool yes);

// The catalogue's downloads for this machine, newest first, pre-releases and
// installed ones marked (`omni python catalogue`, `omni python list
// --available`); `json`: as a JSON list.
void print_available_downloads(Context& context, bool json);

}  // namespace omni::cli
