#include "omni/index/url.hpp"

#include <curl/curl.h>

#include <cctype>
#include <memory>
#include <optional>

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

std::string url_authority(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos)
        return {};
    std::string_view rest = url.substr(scheme_end + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const auto at = rest.rfind('@'); at != std::string_view::npos)
        rest = rest.substr(at + 1);
    std::string out(rest);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
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

namespace {

// [start, end) of the userinfo of the URL starting at `from` in `text`
// (from = the position after "://"), when there is one.
std::optional<std::pair<std::size_t, std::size_t>> userinfo_at(std::string_view text,
                                                               std::size_t from) {
    const auto authority_end = text.find_first_of("/?# \t\r\n\"'<>", from);
    const auto authority =
        text.substr(from, authority_end == std::string_view::npos ? std::string_view::npos
                                                                  : authority_end - from);
    const auto at = authority.rfind('@');
    if (at == std::string_view::npos)
        return std::nullopt;
    return std::make_pair(from, from + at);
}

std::string hidden(std::string_view userinfo) {
    const auto colon = userinfo.find(':');
    if (colon == std::string_view::npos)
        return "****";
    return std::string(userinfo.substr(0, colon)) + ":****";
}

}  // namespace

std::string redact_url(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos)
        return std::string(url);
    const auto info = userinfo_at(url, scheme_end + 3);
    if (!info)
        return std::string(url);
    return std::string(url.substr(0, info->first)) +
           hidden(url.substr(info->first, info->second - info->first)) +
           std::string(url.substr(info->second));
}

std::string redact_credentials(std::string_view text) {
    std::string out;
    std::size_t pos = 0;
    while (true) {
        const auto found = text.find("://", pos);
        if (found == std::string_view::npos)
            break;
        const auto info = userinfo_at(text, found + 3);
        if (!info) {
            out += text.substr(pos, found + 3 - pos);
            pos = found + 3;
            continue;
        }
        out += text.substr(pos, info->first - pos);
        out += hidden(text.substr(info->first, info->second - info->first));
        pos = info->second;
    }
    out += text.substr(pos);
    return out;
}

UrlCredentials split_credentials(std::string_view url) {
    UrlCredentials out{std::string(url), {}, {}};
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos)
        return out;
    const auto info = userinfo_at(url, scheme_end + 3);
    if (!info)
        return out;
    const auto userinfo = url.substr(info->first, info->second - info->first);
    const auto colon = userinfo.find(':');
    out.user = percent_decode(userinfo.substr(0, colon));
    if (colon != std::string_view::npos)
        out.password = percent_decode(userinfo.substr(colon + 1));
    out.url = std::string(url.substr(0, info->first)) + std::string(url.substr(info->second + 1));
    return out;
}

std::string with_trailing_slash(std::string_view url) {
    std::string out(url);
    if (out.empty() || out.back() != '/')
        out += '/';
    return out;
}

}  // namespace omni
