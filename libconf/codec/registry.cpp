#include "libconf/codec/registry.hpp"

#include <algorithm>
#include <cctype>

#include "libconf/codec/g711.hpp"
#include "libconf/codec/l16.hpp"
#include "libconf/codec/opus_codec.hpp"

namespace libconf::codec {
namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

/// What the built-in codecs accept, for the message (a registered codec of
/// another name says nothing).
std::string accepted_rates(std::string_view name) {
  if (iequals(name, "opus")) return " (opus runs at 8000, 16000, 24000 or 48000 Hz)";
  if (iequals(name, "PCMU") || iequals(name, "PCMA")) return " (G.711 runs at 8000 Hz only)";
  if (iequals(name, "L16")) return " (L16 runs at 8000, 16000, 24000, 32000 or 48000 Hz)";
  return "";
}

std::string describe_failure(std::string_view name, errc code, const CodecParams& p,
                             const std::vector<std::string>& known) {
  const std::string codec = "codec '" + std::string(name) + "': ";
  switch (code) {
    case errc::unknown_codec: {
      std::string list;
      for (const auto& n : known) list += (list.empty() ? "" : ", ") + n;
      return "unknown codec '" + std::string(name) + "' (registered: " + list + ")";
    }
    case errc::unsupported_sample_rate:
      return codec + "unsupported sample rate " + std::to_string(p.sample_rate_hz) + " Hz" + accepted_rates(name);
    case errc::unsupported_frame_size:
      return codec + "unsupported ptime " + std::to_string(p.ptime_ms) + " ms";
    case errc::invalid_argument:
      return codec + "invalid parameter among bitrate_bps=" + std::to_string(p.bitrate_bps) +
             ", complexity=" + std::to_string(p.complexity) +
             ", expected_loss_percent=" + std::to_string(p.expected_loss_percent);
    default:
      return codec + "cannot create at " + std::to_string(p.sample_rate_hz) + " Hz, " +
             std::to_string(p.ptime_ms) + " ms: " + make_error_code(code).message();
  }
}

}  // namespace

void CodecRegistry::add(std::string sdp_name, Factory factory) {
  for (auto& [name, f] : entries_)
    if (iequals(name, sdp_name)) {
      name = std::move(sdp_name);
      f = std::move(factory);
      return;
    }
  entries_.emplace_back(std::move(sdp_name), std::move(factory));
}

const CodecRegistry::Factory* CodecRegistry::find(std::string_view sdp_name) const noexcept {
  for (const auto& [name, f] : entries_)
    if (iequals(name, sdp_name)) return &f;
  return nullptr;
}

Result<std::unique_ptr<Codec>> CodecRegistry::create(std::string_view sdp_name, const CodecParams& params) const {
  const Factory* f = find(sdp_name);
  if (!f || !*f) return errc::unknown_codec;
  return (*f)(params);
}

std::unique_ptr<Codec> CodecRegistry::create_or_throw(std::string_view sdp_name, const CodecParams& params) const {
  auto r = create(sdp_name, params);
  if (!r) {
    const auto code = static_cast<errc>(r.error().value());
    throw Error(code, describe_failure(sdp_name, code, params, names()));
  }
  return std::move(r).value();
}

bool CodecRegistry::contains(std::string_view sdp_name) const { return find(sdp_name) != nullptr; }

std::vector<std::string> CodecRegistry::names() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const auto& e : entries_) out.push_back(e.first);
  return out;
}

CodecRegistry CodecRegistry::with_builtin_codecs() {
  CodecRegistry r;
  r.add("PCMU", [](const CodecParams& p) { return G711Codec::create(G711Law::ulaw, p); });
  r.add("PCMA", [](const CodecParams& p) { return G711Codec::create(G711Law::alaw, p); });
  r.add("L16", [](const CodecParams& p) { return L16Codec::create(p); });
  r.add("opus", [](const CodecParams& p) { return OpusCodec::create(p); });
  return r;
}

}  // namespace libconf::codec
