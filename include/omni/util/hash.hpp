#pragma once
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace omni {

// Incremental SHA-256, for hashing a stream while it is written elsewhere.
class Sha256 {
  public:
    Sha256();
    ~Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;

    void update(std::string_view data);
    // Lower-case hex digest; the hasher cannot be updated afterwards.
    std::string hex_digest();

  private:
    struct State;
    std::unique_ptr<State> state_;
};

std::string sha256_hex(std::string_view data);

// Exactly `length` lower-case hex digits: what a digest may be before it is
// used in a file name or compared.
bool is_hex_digest(std::string_view text, std::size_t length);
inline bool is_sha256_hex(std::string_view text) {
    return is_hex_digest(text, 64);
}
std::string sha256_file(const std::filesystem::path& path);

// The sha256 as wheel RECORD files write it: urlsafe base64, no padding.
std::string sha256_record_digest(std::string_view data);

}  // namespace omni
