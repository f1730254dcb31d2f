#pragma once
// How omni talks HTTP: timeouts, retries, proxies, certificates. libcurl
// also reads the usual environment (http_proxy, https_proxy, no_proxy,
// CURL_CA_BUNDLE/SSL_CERT_FILE); `proxy` and `ca_cert` override it.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace omni {

class IndexMeter;

// A user and password for one host ("host" or "host:port", lower-case),
// from an index URL or netrc. Sent to that host only, never shown.
struct HostCredential {
    std::string authority;
    std::string user;
    std::string password;
};

struct TransportOptions {
    std::chrono::milliseconds connect_timeout{10'000};
    // A transfer slower than low_speed_bytes per second for low_speed_time ends
    // in a timeout, so a hanging or trickling server cannot stall omni.
    long low_speed_bytes = 1024;
    std::chrono::seconds low_speed_time{30};
    // No single transfer (one attempt) lasts longer than this.
    std::chrono::seconds total_timeout{300};
    // Pages and METADATA files larger than these are refused.
    std::uint64_t max_page_bytes = 64u << 20;
    std::uint64_t max_metadata_bytes = 16u << 20;
    std::vector<HostCredential> credentials;
    // netrc for hosts without credentials: $NETRC, else ~/.netrc (empty: none).
    std::string netrc_file;
    // Counts requests and bytes for progress events; may be null.
    std::shared_ptr<IndexMeter> meter;
    int max_attempts = 4;                    // first try + retries
    std::chrono::milliseconds backoff{200};  // doubled after each failure
    std::chrono::milliseconds max_backoff{5'000};
    std::size_t max_in_flight = 8;
    std::string proxy;    // empty: from the environment
    std::string ca_cert;  // empty: the system's bundle
    std::string ca_path;  // a directory of CA certificates; empty: the system's
    std::string user_agent = "omni";

    // index.timeout / OMNI_HTTP_TIMEOUT / UV_HTTP_TIMEOUT / PIP_TIMEOUT
    // (seconds, first set wins from the right end: environment over config):
    // connect within T, under 1 KiB/s for T aborts, 10 T for one transfer.
    void set_timeout(std::chrono::seconds t);
    // How the bounds read in an error message.
    std::string describe_bounds() const;
};

}  // namespace omni
