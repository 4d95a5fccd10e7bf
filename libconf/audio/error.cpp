#include "libconf/error.hpp"

namespace libconf {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "libconf"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::ok: return "success";
      case errc::invalid_argument: return "invalid argument";
      case errc::unsupported_sample_rate: return "unsupported sample rate";
      case errc::unsupported_frame_size: return "unsupported frame size";
      case errc::buffer_too_small: return "output buffer too small";
      case errc::unknown_codec: return "unknown codec";
      case errc::codec_error: return "codec error";
      case errc::malformed_packet: return "malformed packet";
      case errc::authentication_failed: return "authentication failed";
      case errc::replayed_packet: return "replayed packet";
      case errc::capacity_exceeded: return "capacity exceeded";
      case errc::not_found: return "not found";
      case errc::already_exists: return "already exists";
      case errc::permission_denied: return "permission denied";
      case errc::wrong_pin: return "wrong PIN";
      case errc::locked_out: return "locked out after repeated failures";
      case errc::room_locked: return "room is locked";
      case errc::room_full: return "room is full";
      case errc::quota_exceeded: return "tenant quota exceeded";
      case errc::parse_error: return "parse error";
      case errc::io_error: return "I/O error";
      case errc::store_error: return "store error";
      case errc::timeout: return "timed out";
      case errc::invalid_state: return "invalid state";
      case errc::not_supported: return "not supported";
    }
    return "unknown libconf error " + std::to_string(value);
  }
};

}  // namespace

const std::error_category& error_category() noexcept {
  static const Category category;
  return category;
}

std::string_view to_string(errc e) noexcept {
  switch (e) {
    case errc::ok: return "ok";
    case errc::invalid_argument: return "invalid_argument";
    case errc::unsupported_sample_rate: return "unsupported_sample_rate";
    case errc::unsupported_frame_size: return "unsupported_frame_size";
    case errc::buffer_too_small: return "buffer_too_small";
    case errc::unknown_codec: return "unknown_codec";
    case errc::codec_error: return "codec_error";
    case errc::malformed_packet: return "malformed_packet";
    case errc::authentication_failed: return "authentication_failed";
    case errc::replayed_packet: return "replayed_packet";
    case errc::capacity_exceeded: return "capacity_exceeded";
    case errc::not_found: return "not_found";
    case errc::already_exists: return "already_exists";
    case errc::permission_denied: return "permission_denied";
    case errc::wrong_pin: return "wrong_pin";
    case errc::locked_out: return "locked_out";
    case errc::room_locked: return "room_locked";
    case errc::room_full: return "room_full";
    case errc::quota_exceeded: return "quota_exceeded";
    case errc::parse_error: return "parse_error";
    case errc::io_error: return "io_error";
    case errc::store_error: return "store_error";
    case errc::timeout: return "timeout";
    case errc::invalid_state: return "invalid_state";
    case errc::not_supported: return "not_supported";
  }
  return "unknown";
}

}  // namespace libconf
