#pragma once
// The little URL handling the index client needs.
#include <filesystem>
#include <string>
#include <string_view>

#include "omni/util/error.hpp"

namespace omni {

// RFC 3986 resolution of `ref` against `base`; an absolute `ref` is returned
// normalised. Error when either is not a URL.
Result<std::string> resolve_url(std::string_view base, std::string_view ref);

// Splits "url#frag" into the two halves (fragment without '#', may be empty).
std::pair<std::string, std::string> split_fragment(std::string_view url);

bool is_file_url(std::string_view url);
// True for something that is neither a URL nor a file:// URL: a local path.
bool is_plain_path(std::string_view text);
std::filesystem::path file_url_to_path(std::string_view url);
std::string path_to_file_url(const std::filesystem::path& path);

// The host part ("pypi.org"), lower-case; empty when there is none.
std::string url_host(std::string_view url);
// "host" or "host:port" as written (lower-case, no userinfo).
std::string url_authority(std::string_view url);
// localhost, 127.0.0.0/8 and ::1.
bool is_loopback_host(std::string_view host);
// The last path segment, percent-decoded: the file name of a download URL.
std::string url_filename(std::string_view url);
std::string percent_decode(std::string_view text);
// The URL with its password hidden: "https://user:****@host/..." (a lone
// token before '@' becomes "****"). Everything omni prints, logs or stores
// about a URL goes through this.
std::string redact_url(std::string_view url);
// redact_url applied to every "scheme://userinfo@" in a piece of text.
std::string redact_credentials(std::string_view text);
// The URL without its userinfo, and the user and password it carried
// (percent-decoded); empty when there were none.
struct UrlCredentials {
    std::string url;  // without "user:password@"
    std::string user;
    std::string password;
};
UrlCredentials split_credentials(std::string_view url);

// A URL that ends in '/'.
std::string with_trailing_slash(std::string_view url);

}  // namespace omni
