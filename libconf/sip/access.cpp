#include "libconf/sip/access.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace libconf::sip {
namespace {

/// Parses a numeric address into 16 bytes; IPv4-mapped IPv6 becomes IPv4.
bool to_bytes(std::string_view text, bool& ipv6, std::uint8_t out[16]) noexcept {
  if (text.size() >= 64) return false;
  char buf[64];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  std::memset(out, 0, 16);
  if (inet_pton(AF_INET, buf, out) == 1) {
    ipv6 = false;
    return true;
  }
  if (inet_pton(AF_INET6, buf, out) == 1) {
    static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(out, kMapped, 12) == 0) {
      std::memmove(out, out + 12, 4);
      std::memset(out + 4, 0, 12);
      ipv6 = false;
    } else {
      ipv6 = true;
    }
    return true;
  }
  return false;
}

bool prefix_equal(const std::uint8_t* a, const std::uint8_t* b, int bits) noexcept {
  const int bytes = bits / 8;
  if (std::memcmp(a, b, static_cast<std::size_t>(bytes)) != 0) return false;
  const int rest = bits % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (a[bytes] & mask) == (b[bytes] & mask);
}

}  // namespace

IpNetwork IpNetwork::parse(std::string_view cidr) {
  IpNetwork n;
  const auto slash = cidr.find('/');
  const std::string_view address = cidr.substr(0, slash);
  if (!to_bytes(address, n.ipv6, n.address)) {
    throw Error(errc::invalid_argument, "network '" + std::string(cidr) + "': '" + std::string(address) + "' is not a numeric IP address");
  }
  const int max_bits = n.ipv6 ? 128 : 32;
  n.prefix_bits = max_bits;
  if (slash != std::string_view::npos) {
    const std::string_view bits = cidr.substr(slash + 1);
    int v = -1;
    auto [ptr, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), v);
    if (ec != std::errc() || ptr != bits.data() + bits.size() || v < 0 || v > max_bits) {
      throw Error(errc::invalid_argument, "network '" + std::string(cidr) + "': prefix '" + std::string(bits) + "' is not 0.." +
                                              std::to_string(max_bits));
    }
    n.prefix_bits = v;
  }
  std::uint8_t masked[16];
  std::memcpy(masked, n.address, 16);
  for (int bit = n.prefix_bits; bit < max_bits; ++bit) masked[bit / 8] &= static_cast<std::uint8_t>(~(0x80 >> (bit % 8)));
  if (std::memcmp(masked, n.address, 16) != 0) {
    throw Error(errc::invalid_argument, "network '" + std::string(cidr) + "' has host bits set beyond /" + std::to_string(n.prefix_bits));
  }
  return n;
}

bool IpNetwork::contains(std::string_view text) const noexcept {
  bool v6 = false;
  std::uint8_t bytes[16];
  if (!to_bytes(text, v6, bytes) || v6 != ipv6) return false;
  return prefix_equal(bytes, address, prefix_bits);
}

std::string IpNetwork::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(ipv6 ? AF_INET6 : AF_INET, address, buf, sizeof(buf));
  return std::string(buf) + "/" + std::to_string(prefix_bits);
}

IpAcl::IpAcl(const std::vector<std::string>& cidrs) {
  for (std::size_t i = 0; i < cidrs.size(); ++i) {
    try {
      networks_.push_back(IpNetwork::parse(cidrs[i]));
    } catch (const Error& e) {
      throw Error(e.code_enum(), "trusted network [" + std::to_string(i) + "]: " + e.what());
    }
  }
}

bool IpAcl::contains(std::string_view address) const noexcept {
  return std::any_of(networks_.begin(), networks_.end(), [&](const IpNetwork& n) { return n.contains(address); });
}

RateLimiter::RateLimiter(RateLimitConfig config) : config_(config) {
  if (!(config_.per_second > 0.0)) throw Error(errc::invalid_argument, "rate limit: per_second must be > 0");
  if (!(config_.burst >= 1.0)) throw Error(errc::invalid_argument, "rate limit: burst must be >= 1");
  if (config_.retry_after_s < 1 || config_.retry_after_s > 3600) {
    throw Error(errc::invalid_argument, "rate limit: retry_after_s " + std::to_string(config_.retry_after_s) + " is outside 1..3600");
  }
  if (config_.max_sources == 0) throw Error(errc::invalid_argument, "rate limit: max_sources must be > 0");
}

void RateLimiter::expire(std::int64_t now_ms) {
  // A bucket idle for burst/per_second seconds is full again: forgetting it changes nothing.
  const auto full_after_ms = static_cast<std::int64_t>(1000.0 * config_.burst / config_.per_second) + 1;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    if (now_ms - it->second.updated_ms >= full_after_ms) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
}

bool RateLimiter::allow(std::string_view source, std::int64_t now_ms) {
  auto it = buckets_.find(std::string(source));
  if (it == buckets_.end()) {
    if (buckets_.size() >= config_.max_sources) {
      expire(now_ms);
      if (buckets_.size() >= config_.max_sources) return false;
    }
    it = buckets_.emplace(std::string(source), Bucket{config_.burst, now_ms}).first;
  }
  Bucket& b = it->second;
  const double elapsed_s = static_cast<double>(std::max<std::int64_t>(0, now_ms - b.updated_ms)) / 1000.0;
  b.tokens = std::min(config_.burst, b.tokens + elapsed_s * config_.per_second);
  b.updated_ms = now_ms;
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

}  // namespace libconf::sip
