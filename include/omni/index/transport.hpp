#pragma once
// How omni talks HTTP: timeouts, retries, proxies, certificates. libcurl
// also reads the usual environment (http_proxy, https_proxy, no_proxy,
// CURL_CA_BUNDLE/SSL_CERT_FILE); `proxy` and `ca_cert` override it.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace omni {

struct TransportOptions {
    std::chrono::milliseconds connect_timeout{10'000};
    // A transfer slower than low_speed_bytes per second for low_speed_time ends
    // in a timeout, so a hanging server cannot stall omni.
    long low_speed_bytes = 1;
    std::chrono::seconds low_speed_time{30};
    int max_attempts = 4;                    // first try + retries
    std::chrono::milliseconds backoff{200};  // doubled after each failure
    std::chrono::milliseconds max_backoff{5'000};
    std::size_t max_in_flight = 8;
    std::string proxy;    // empty: from the environment
    std::string ca_cert;  // empty: the system's bundle
    std::string ca_path;  // a directory of CA certificates; empty: the system's
    std::string user_agent = "omni";
};

}  // namespace omni
