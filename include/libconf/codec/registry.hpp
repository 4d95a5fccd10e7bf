#pragma once
/// @file
/// CodecRegistry: codec factories keyed by SDP encoding name
/// (case-insensitive, as SDP requires). The default registry knows PCMU,
/// PCMA, L16 and opus; users add their own without touching the engine.
/// Thread-safety: register before use; create() may then be called from any thread.
/// Not real-time: create() allocates the codec (do it when a leg joins).

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "libconf/codec/codec.hpp"

namespace libconf::codec {

class CodecRegistry {
 public:
  using Factory = std::function<Result<std::unique_ptr<Codec>>(const CodecParams&)>;

  /// Adds or replaces the factory for an SDP name.
  void add(std::string sdp_name, Factory factory);
  /// Creates a codec. Errors: unknown_codec, unsupported_sample_rate,
  /// unsupported_frame_size, invalid_argument, codec_error.
  [[nodiscard]] Result<std::unique_ptr<Codec>> create(std::string_view sdp_name,
                                                      const CodecParams& params) const;
  /// Like create(), but throws libconf::Error whose message names the codec
  /// and the bad value (unknown name, sample rate, ptime or parameter).
  [[nodiscard]] std::unique_ptr<Codec> create_or_throw(std::string_view sdp_name,
                                                       const CodecParams& params) const;
  bool contains(std::string_view sdp_name) const;
  /// Registered SDP names, in registration order, spelled as registered.
  std::vector<std::string> names() const;

  /// Registry with the built-in codecs: PCMU, PCMA, L16, opus.
  static CodecRegistry with_builtin_codecs();

 private:
  const Factory* find(std::string_view sdp_name) const noexcept;
  std::vector<std::pair<std::string, Factory>> entries_;
};

}  // namespace libconf::codec
