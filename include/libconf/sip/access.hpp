#pragma once
/// @file
/// Who may call: an IP access list of CIDR networks (the trunks whose calls
/// need no authentication) and a per-source token-bucket rate limiter (INVITE
/// floods get 503 with Retry-After). Both are plain values used by the
/// UserAgent on its control thread; they are public so hosts and tests can
/// use them alone.
///
/// Thread-safety: none (one thread). Not real-time: configuration allocates;
/// lookups do not.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "libconf/error.hpp"

namespace libconf::sip {

/// An IPv4 or IPv6 network ("203.0.113.0/24", "2001:db8::/32", "127.0.0.1"
/// = one host).
struct IpNetwork {
  bool ipv6 = false;
  std::uint8_t address[16] = {};  ///< network bytes (4 used for IPv4)
  int prefix_bits = 0;

  /// Throws libconf::Error (invalid_argument) naming the text: not an
  /// address, prefix out of range, host bits set.
  static IpNetwork parse(std::string_view cidr);
  /// Whether a numeric address (IPv4, IPv6, or IPv4-mapped IPv6) lies in it.
  bool contains(std::string_view address) const noexcept;
  std::string to_string() const;
};

/// A list of networks; empty contains nothing.
class IpAcl {
 public:
  IpAcl() = default;
  /// Throws libconf::Error naming the bad entry and its index.
  explicit IpAcl(const std::vector<std::string>& cidrs);
  bool contains(std::string_view address) const noexcept;
  bool empty() const noexcept { return networks_.empty(); }
  const std::vector<IpNetwork>& networks() const noexcept { return networks_; }

 private:
  std::vector<IpNetwork> networks_;
};

/// Token bucket per source address: each source may start `burst` requests
/// at once and then `per_second` on average. The table is bounded: when full,
/// buckets idle long enough to be full again are dropped; if none is, the
/// new source is refused (fail closed under a spoofed-source flood).
struct RateLimitConfig {
  double per_second = 5.0;        ///< sustained INVITEs per source (> 0)
  double burst = 20.0;            ///< bucket size (>= 1)
  int retry_after_s = 5;          ///< written in the 503's Retry-After (1..3600)
  std::size_t max_sources = 10'000;
};

class RateLimiter {
 public:
  /// Throws libconf::Error naming a bad field.
  explicit RateLimiter(RateLimitConfig config = {});
  /// Takes one token for source at now_ms (monotonic). False: over the limit.
  bool allow(std::string_view source, std::int64_t now_ms);
  std::size_t tracked() const noexcept { return buckets_.size(); }
  const RateLimitConfig& config() const noexcept { return config_; }

 private:
  struct Bucket {
    double tokens = 0;
    std::int64_t updated_ms = 0;
  };
  void expire(std::int64_t now_ms);
  RateLimitConfig config_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace libconf::sip
