#include "omni/index/url.hpp"

#include <curl/curl.h>

#include <cctype>
#include <memory>

namespace omni {

namespace {

struct UrlDeleter {
    void operator()(CURLU* u) const noexcept { curl_url_cleanup(u); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

bool has_scheme(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || colon < 2)
        return false;  // "C:" is not a scheme
    for (std::size_t i = 0; i < colon; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (!(std::isalnum(c) || c == '+' || c == '-' || c == '.'))
            return false;
    }
    return text.substr(colon + 1).starts_with("//");
}

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

}  // namespace

Result<std::string> resolve_url(std::string_view base, std::string_view ref) {
    UrlHandle handle(curl_url());
    if (!handle)
        throw Error(ErrorCode::internal, "out of memory creating a URL handle");
    const unsigned flags = CURLU_NON_SUPPORT_SCHEME;
    if (curl_url_set(handle.get(), CURLUPART_URL, std::string(base).c_str(), flags) != CURLUE_OK)
        return std::unexpected(parse_error("URL", base, 0, "not an absolute URL"));
    if (curl_url_set(handle.get(), CURLUPART_URL, std::string(ref).c_str(), flags) != CURLUE_OK)
        return std::unexpected(
            parse_error("URL", ref, 0, "cannot be resolved against " + std::string(base)));
    char* out = nullptr;
    if (curl_url_get(handle.get(), CURLUPART_URL, &out, 0) != CURLUE_OK || out == nullptr)
        return std::unexpected(parse_error("URL", ref, 0, "cannot be resolved"));
    std::string result(out);
    curl_free(out);
    return result;
}

std::pair<std::string, std::string> split_fragment(std::string_view url) {
    const auto hash = url.find('#');
    if (hash == std::string_view::npos)
        return {std::string(url), {}};
    return {std::string(url.substr(0, hash)), std::string(url.substr(hash + 1))};
}

bool is_file_url(std::string_view url) {
    return url.size() >= 7 && (url.substr(0, 7) == "file://" || url.substr(0, 7) == "FILE://");
}

bool is_plain_path(std::string_view text) {
    return !text.empty() && !has_scheme(text);
}

std::filesystem::path file_url_to_path(std::string_view url) {
    std::string_view rest = url.substr(7);  // after file://
    const auto slash = rest.find('/');
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    return percent_decode(split_fragment(rest).first);
}

std::string path_to_file_url(const std::filesystem::path& path) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out = "file://";
    for (const char c : std::filesystem::absolute(path).lexically_normal().string()) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || std::string_view("/-._~+").find(c) != std::string_view::npos) {
            out += c;
        } else {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 15];
        }
    }
    return out;
}

std::string url_host(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos)
        return {};
    std::string_view rest = url.substr(scheme_end + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const auto at = rest.rfind('@'); at != std::string_view::npos)
        rest = rest.substr(at + 1);
    std::string host;
    if (rest.starts_with("[")) {
        host = std::string(rest.substr(1, rest.find(']') - 1));
    } else {
        host = std::string(rest.substr(0, rest.find(':')));
    }
    for (auto& c : host)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return host;
}

bool is_loopback_host(std::string_view host) {
    return host == "localhost" || host == "::1" || host.starts_with("127.");
}

std::string url_filename(std::string_view url) {
    std::string_view path = url.substr(0, url.find_first_of("?#"));
    const auto slash = path.rfind('/');
    if (slash != std::string_view::npos)
        path = path.substr(slash + 1);
    return percent_decode(path);
}

std::string percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            const int hi = hex_value(text[i + 1]);
            const int lo = hex_value(text[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

std::string with_trailing_slash(std::string_view url) {
    std::string out(url);
    if (out.empty() || out.back() != '/')
        out += '/';
    return out;
}

}  // namespace omni
