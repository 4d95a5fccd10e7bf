// SDP offer/answer on belle_sdp: belle-sip parses and writes the SDP text;
// this file only reads the typed objects it hands back and decides.

#include "libconf/sip/sdp.hpp"

#include <arpa/inet.h>
#include <belle-sip/belle-sdp.h>
#include <belle-sip/belle-sip.h>
#include <sys/random.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

#include "libconf/sip/belle_ref.hpp"

namespace libconf::sip {
namespace {

using detail::adopt;
using detail::BelleRef;
using transport::SdesCrypto;
using transport::SrtpProfile;

constexpr int kMaxPtimeMs = 200;  // RFC 3551 4.5 packs at most 200 ms in practice; anything above is hostile

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

/// A whole decimal number, or nullopt.
std::optional<long long> to_number(std::string_view s) noexcept {
  s = trim(s);
  long long v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

/// Printable excerpt of peer text for messages (bounded, control characters escaped).
std::string quote(std::string_view s) {
  std::string out = "'";
  for (std::size_t i = 0; i < s.size() && i < 60; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += '?';
    }
  }
  if (s.size() > 60) out += "...";
  return out + "'";
}

Failure sdp_failure(std::string message) { return Failure{errc::parse_error, std::move(message), 488}; }
Failure refusal(std::string message) { return Failure{errc::not_supported, std::move(message), 488}; }

std::size_t list_size(const belle_sip_list_t* list) noexcept {
  std::size_t n = 0;
  for (; list != nullptr; list = list->next) ++n;
  return n;
}

const char* value_of(belle_sdp_attribute_t* attribute) noexcept {
  if (!belle_sdp_attribute_has_value(attribute)) return "";
  const char* v = belle_sdp_attribute_get_value(attribute);
  return v ? v : "";
}

std::optional<MediaDirection> direction_attribute(std::string_view name) noexcept {
  if (name == "sendrecv") return MediaDirection::sendrecv;
  if (name == "sendonly") return MediaDirection::sendonly;
  if (name == "recvonly") return MediaDirection::recvonly;
  if (name == "inactive") return MediaDirection::inactive;
  return std::nullopt;
}

/// -1 for a value that is not a whole number (reported by negotiation).
int ptime_value(std::string_view text) noexcept {
  const auto v = to_number(text);
  if (!v || *v < 0 || *v > 1'000'000) return -1;
  return static_cast<int>(*v);
}

struct Connection {
  std::string address;
  bool ipv6 = false;
};

std::optional<Connection> connection_of(belle_sdp_connection_t* c) {
  if (c == nullptr) return std::nullopt;
  const char* address = belle_sdp_connection_get_address(c);
  const char* type = belle_sdp_connection_get_address_type(c);
  Connection out;
  out.address = address ? address : "";
  out.ipv6 = type != nullptr && iequals(type, "IP6");
  return out;
}

bool numeric_address(const std::string& address, bool ipv6) noexcept {
  unsigned char buf[16];
  return inet_pton(ipv6 ? AF_INET6 : AF_INET, address.c_str(), buf) == 1;
}

/// RFC 3551 static payload types a peer may use without rtpmap.
void fill_static(RtpFormat& f) {
  switch (f.payload_type) {
    case 0: f.encoding = "PCMU"; f.clock_rate_hz = 8000; break;
    case 3: f.encoding = "GSM"; f.clock_rate_hz = 8000; break;
    case 8: f.encoding = "PCMA"; f.clock_rate_hz = 8000; break;
    case 9: f.encoding = "G722"; f.clock_rate_hz = 8000; break;
    case 13: f.encoding = "CN"; f.clock_rate_hz = 8000; break;
    case 18: f.encoding = "G729"; f.clock_rate_hz = 8000; break;
    default: break;
  }
}

std::string describe(const RtpFormat& f) {
  std::string s = std::to_string(f.payload_type) + " ";
  s += f.encoding.empty() ? std::string("(no rtpmap)") : f.encoding + "/" + std::to_string(f.clock_rate_hz);
  if (f.channels > 1) s += "/" + std::to_string(f.channels);
  return s;
}

/// Counts lines and m= lines of the raw text (to catch what belle-sip's
/// parser silently drops: it returns what it read before a line it could
/// not parse).
struct RawCounts {
  std::size_t lines = 0;
  std::size_t media = 0;
};
RawCounts count_lines(std::string_view body) noexcept {
  RawCounts c;
  std::size_t pos = 0;
  while (pos < body.size()) {
    auto end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view line = trim(body.substr(pos, end - pos));
    if (!line.empty()) {
      ++c.lines;
      if (line.starts_with("m=")) ++c.media;
    }
    pos = end + 1;
  }
  return c;
}

Outcome<MediaDescription> read_media(belle_sdp_media_description_t* md, std::size_t index,
                                     const std::optional<Connection>& session_connection,
                                     MediaDirection session_direction, const SdpLimits& limits) {
  const std::string where = "m= line " + std::to_string(index + 1);
  MediaDescription out;
  belle_sdp_media_t* m = belle_sdp_media_description_get_media(md);
  if (m == nullptr) return sdp_failure(where + ": no media");
  const char* type = belle_sdp_media_get_media_type(m);
  const char* proto = belle_sdp_media_get_protocol(m);
  out.media = type ? type : "";
  out.protocol = proto ? proto : "";
  const int port = belle_sdp_media_get_media_port(m);
  if (port < 0 || port > 65535) return sdp_failure(where + ": port " + std::to_string(port) + " out of range");
  out.port = static_cast<std::uint16_t>(port);

  belle_sip_list_t* formats = belle_sdp_media_get_media_formats(m);
  const std::size_t format_count = list_size(formats);
  if (format_count > limits.max_formats) {
    return sdp_failure(where + ": " + std::to_string(format_count) + " payload formats (at most " +
                       std::to_string(limits.max_formats) + ")");
  }
  belle_sip_list_t* attributes = belle_sdp_media_description_get_attributes(md);
  const std::size_t attribute_count = list_size(attributes);
  if (attribute_count > limits.max_attributes) {
    return sdp_failure(where + ": " + std::to_string(attribute_count) + " attributes (at most " +
                       std::to_string(limits.max_attributes) + ")");
  }

  if (auto c = connection_of(belle_sdp_media_description_get_connection(md))) {
    out.address = c->address;
    out.ipv6 = c->ipv6;
  } else if (session_connection) {
    out.address = session_connection->address;
    out.ipv6 = session_connection->ipv6;
  }
  out.hold_address = out.address == "0.0.0.0";

  out.direction = session_direction;
  for (belle_sip_list_t* a = attributes; a != nullptr; a = a->next) {
    auto* attribute = static_cast<belle_sdp_attribute_t*>(a->data);
    const char* name_c = belle_sdp_attribute_get_name(attribute);
    const std::string_view name = name_c ? name_c : "";
    const std::string_view value = value_of(attribute);
    if (auto d = direction_attribute(name)) {
      out.direction = *d;
    } else if (name == "ptime") {
      out.ptime_ms = ptime_value(value);
    } else if (name == "maxptime") {
      out.maxptime_ms = ptime_value(value);
    } else if (name == "rtcp-mux") {
      out.rtcp_mux = true;
    } else if (name == "rtcp") {
      const auto space = value.find(' ');
      const auto p = to_number(value.substr(0, space));
      if (p && *p > 0 && *p <= 65535) out.rtcp_port = static_cast<std::uint16_t>(*p);
    } else if (name == "crypto") {
      auto parsed = transport::parse_sdes_crypto(std::string("crypto:") + std::string(value));
      if (parsed) {
        out.crypto.push_back(std::move(*parsed));
      } else {
        out.crypto_refused.push_back("a=crypto " + quote(value) +
                                     (parsed.error() == make_error_code(errc::not_supported) ? " (suite or option not supported)"
                                                                                            : " (malformed)"));
      }
    }
  }

  // rtpmap + fmtp (+ static names) per payload type, as belle-sip reads them.
  belle_sip_list_t* mimes = belle_sdp_media_description_build_mime_parameters(md);
  for (belle_sip_list_t* l = mimes; l != nullptr; l = l->next) {
    auto* mime = static_cast<belle_sdp_mime_parameter_t*>(l->data);
    belle_sip_object_ref(mime);
    RtpFormat f;
    f.payload_type = belle_sdp_mime_parameter_get_media_format(mime);
    const char* enc = belle_sdp_mime_parameter_get_type(mime);
    f.encoding = enc ? enc : "";
    f.clock_rate_hz = belle_sdp_mime_parameter_get_rate(mime);
    f.channels = std::max(1, belle_sdp_mime_parameter_get_channel_count(mime));
    const char* fmtp = belle_sdp_mime_parameter_get_parameters(mime);
    f.fmtp = fmtp ? fmtp : "";
    if (f.encoding.empty()) fill_static(f);
    belle_sip_object_unref(mime);
    if (f.payload_type < 0 || f.payload_type > 127) continue;  // not an RTP payload type: never chosen
    out.formats.push_back(std::move(f));
  }
  belle_sip_list_free(mimes);
  return out;
}

// ---- opus fmtp --------------------------------------------------------------

OpusFmtp parse_opus_fmtp(std::string_view fmtp) {
  OpusFmtp o;
  std::size_t pos = 0;
  while (pos <= fmtp.size()) {
    auto end = fmtp.find(';', pos);
    if (end == std::string_view::npos) end = fmtp.size();
    const std::string_view item = trim(fmtp.substr(pos, end - pos));
    const auto eq = item.find('=');
    if (eq != std::string_view::npos) {
      const std::string_view key = trim(item.substr(0, eq));
      const auto v = to_number(item.substr(eq + 1));
      if (v) {
        if (iequals(key, "stereo")) o.stereo = *v == 1;
        if (iequals(key, "useinbandfec")) o.useinbandfec = *v == 1;
        if (iequals(key, "usedtx")) o.usedtx = *v == 1;
        if (iequals(key, "maxplaybackrate")) o.maxplaybackrate_hz = static_cast<int>(std::clamp<long long>(*v, 8000, 48000));
        if (iequals(key, "maxaveragebitrate")) {
          o.maxaveragebitrate_bps = static_cast<int>(std::clamp<long long>(*v, 6000, 510000));
        }
      }
    }
    pos = end + 1;
  }
  return o;
}

std::string write_opus_fmtp(const OpusFmtp& o) {
  std::string s = "minptime=10;useinbandfec=" + std::string(o.useinbandfec ? "1" : "0");
  if (o.usedtx) s += ";usedtx=1";
  s += o.stereo ? ";stereo=1" : ";stereo=0";
  s += ";sprop-stereo=0";  // libconf sends mono
  if (o.maxplaybackrate_hz < 48000) s += ";maxplaybackrate=" + std::to_string(o.maxplaybackrate_hz);
  if (o.maxaveragebitrate_bps > 0) s += ";maxaveragebitrate=" + std::to_string(o.maxaveragebitrate_bps);
  return s;
}

// ---- codecs -----------------------------------------------------------------

/// Whether a format is a codec of the policy; returns the CodecRegistry name.
std::optional<std::string> policy_codec(const RtpFormat& f, const MediaPolicy& policy) {
  for (const auto& name : policy.codecs) {
    if (!iequals(name, f.encoding)) continue;
    if ((iequals(name, "PCMU") || iequals(name, "PCMA")) && f.clock_rate_hz == 8000 && f.channels == 1) return name;
    if (iequals(name, "opus") && f.clock_rate_hz == 48000 && (f.channels == 2 || f.channels == 1)) return std::string("opus");
  }
  return std::nullopt;
}

int policy_rank(const std::string& codec, const MediaPolicy& policy) noexcept {
  for (std::size_t i = 0; i < policy.codecs.size(); ++i) {
    if (iequals(policy.codecs[i], codec)) return static_cast<int>(i);
  }
  return 1 << 20;
}

bool accepts_event_rate(const MediaPolicy& policy, int rate) noexcept {
  return std::find(policy.telephone_event_rates_hz.begin(), policy.telephone_event_rates_hz.end(), rate) !=
         policy.telephone_event_rates_hz.end();
}

bool accepted_ptime(const MediaPolicy& policy, int ptime) noexcept {
  return std::find(policy.accepted_ptimes_ms.begin(), policy.accepted_ptimes_ms.end(), ptime) !=
         policy.accepted_ptimes_ms.end();
}

bool accepted_profile(const MediaPolicy& policy, SrtpProfile p) noexcept {
  return std::find(policy.srtp_profiles.begin(), policy.srtp_profiles.end(), p) != policy.srtp_profiles.end();
}

/// Chooses the ptime to use from what the peer asked (0 = nothing).
Outcome<int> choose_ptime(const MediaPolicy& policy, int asked, int max, const std::string& where, int keep) {
  if (asked < 0 || asked > kMaxPtimeMs) {
    return refusal(where + ": ptime " + (asked < 0 ? std::string("is not a number") : std::to_string(asked) + " ms") +
                   " is absurd (1.." + std::to_string(kMaxPtimeMs) + " ms)");
  }
  if (max < 0 || max > 10'000) {
    return refusal(where + ": maxptime " + (max < 0 ? std::string("is not a number") : std::to_string(max) + " ms") +
                   " is absurd");
  }
  int ptime = keep > 0 ? keep : policy.ptime_ms;
  if (asked > 0 && accepted_ptime(policy, asked)) ptime = asked;
  if (max > 0 && ptime > max) {
    int best = 0;
    for (int p : policy.accepted_ptimes_ms) {
      if (p <= max && p > best) best = p;
    }
    if (best == 0) return refusal(where + ": maxptime " + std::to_string(max) + " ms is below every ptime we can send");
    ptime = best;
  }
  return ptime;
}

MediaDirection reverse(MediaDirection d) noexcept {
  switch (d) {
    case MediaDirection::sendonly: return MediaDirection::recvonly;
    case MediaDirection::recvonly: return MediaDirection::sendonly;
    default: return d;
  }
}

MediaDirection intersect(MediaDirection a, MediaDirection b) noexcept {
  const bool s = sends(a) && sends(b);
  const bool r = receives(a) && receives(b);
  if (s && r) return MediaDirection::sendrecv;
  if (s) return MediaDirection::sendonly;
  if (r) return MediaDirection::recvonly;
  return MediaDirection::inactive;
}

/// The peer's direction, with c=0.0.0.0 read as "do not send to me".
MediaDirection peer_direction(const MediaDescription& m) noexcept {
  if (!m.hold_address) return m.direction;
  return intersect(m.direction, MediaDirection::sendonly);
}

SdesCrypto new_key(SrtpProfile profile, int tag) {
  SdesCrypto c;
  c.tag = tag;
  c.keys = transport::generate_srtp_keys(profile);
  return c;
}

bool secure_protocol(std::string_view proto) noexcept { return proto.find("SAVP") != std::string_view::npos; }
bool rtp_protocol(std::string_view proto) noexcept {
  return proto == "RTP/AVP" || proto == "RTP/SAVP" || proto == "RTP/AVPF" || proto == "RTP/SAVPF";
}

/// Tries one audio m= line of an offer. Failure says why it is not acceptable.
Outcome<MediaSession> try_stream(const MediaDescription& m, std::size_t index, const MediaPolicy& policy,
                                 const MediaSession* current, MediaDirection wanted) {
  const std::string where = "m=audio line " + std::to_string(index + 1);
  if (m.port == 0) return refusal(where + ": port 0 (the stream is disabled)");
  if (!rtp_protocol(m.protocol)) return refusal(where + ": protocol " + quote(m.protocol) + " is not RTP/AVP or RTP/SAVP");
  if (m.address.empty()) return refusal(where + ": no c= connection address");
  if (!numeric_address(m.address, m.ipv6)) {
    return refusal(where + ": connection address " + quote(m.address) + " is not a numeric " + (m.ipv6 ? "IPv6" : "IPv4") +
                   " address");
  }

  MediaSession s;
  s.media_index = index;
  s.remote_address = m.address;
  s.remote_port = m.port;
  s.remote_rtcp_port = m.rtcp_port;
  s.rtcp_mux = m.rtcp_mux && policy.rtcp_mux;
  s.secure_profile = secure_protocol(m.protocol);

  // Codec: the offer's order or ours; a running codec is kept if still offered.
  const RtpFormat* chosen = nullptr;
  std::string chosen_name;
  int best_rank = 1 << 21;
  for (const auto& f : m.formats) {
    auto name = policy_codec(f, policy);
    if (!name) continue;
    if (current != nullptr && iequals(*name, current->codec) && f.payload_type == current->payload_type) {
      chosen = &f;
      chosen_name = *name;
      break;
    }
    const int rank = policy.honour_offer_order ? 0 : policy_rank(*name, policy);
    if (chosen == nullptr || rank < best_rank) {
      chosen = &f;
      chosen_name = *name;
      best_rank = rank;
    }
  }
  if (chosen == nullptr) {
    std::string offered;
    for (const auto& f : m.formats) {
      if (!offered.empty()) offered += ", ";
      offered += describe(f);
    }
    std::string ours;
    for (const auto& c : policy.codecs) ours += (ours.empty() ? "" : ", ") + c;
    return refusal(where + ": no acceptable codec (offered: " + (offered.empty() ? std::string("none") : offered) +
                   "; accepted: " + ours + ")");
  }
  s.codec = chosen_name;
  s.payload_type = chosen->payload_type;
  s.clock_rate_hz = chosen->clock_rate_hz;
  s.channels = chosen->channels;
  if (s.codec == "opus") s.remote_opus = parse_opus_fmtp(chosen->fmtp);

  for (const auto& f : m.formats) {
    if (iequals(f.encoding, "telephone-event") && f.clock_rate_hz == s.clock_rate_hz &&
        accepts_event_rate(policy, f.clock_rate_hz)) {
      s.telephone_event_pt = f.payload_type;
      break;
    }
  }

  auto ptime = choose_ptime(policy, m.ptime_ms, m.maxptime_ms, where, current ? current->ptime_ms : 0);
  if (!ptime) return ptime.failure();
  s.ptime_ms = *ptime;

  // SRTP.
  const SdesCrypto* theirs = nullptr;
  if (policy.srtp != SrtpPolicy::off) {
    for (const auto& c : m.crypto) {
      if (accepted_profile(policy, c.keys.profile)) {
        theirs = &c;
        break;
      }
    }
  }
  if (theirs == nullptr) {
    std::string why;
    for (const auto& r : m.crypto_refused) why += "; " + r;
    if (s.secure_profile) {
      if (policy.srtp == SrtpPolicy::off) return refusal(where + ": " + m.protocol + " offered but SRTP is off here");
      return refusal(where + ": " + m.protocol + " without a usable a=crypto" + why);
    }
    if (policy.srtp == SrtpPolicy::required) return refusal(where + ": SRTP is required but the offer has no usable a=crypto" + why);
  } else {
    s.remote_crypto = *theirs;
    if (current != nullptr && current->local_crypto && current->local_crypto->keys.profile == theirs->keys.profile) {
      s.local_crypto = *current->local_crypto;
      s.local_crypto->tag = theirs->tag;
    } else {
      s.local_crypto = new_key(theirs->keys.profile, theirs->tag);
    }
  }

  s.direction = intersect(reverse(peer_direction(m)), wanted);
  return s;
}

// ---- writing ----------------------------------------------------------------

using SessionRef = BelleRef<belle_sdp_session_description_t>;

SessionRef new_session(const LocalMedia& local, const MediaPolicy& policy, SdpOrigin& origin) {
  ++origin.version;
  auto s = adopt(belle_sdp_session_description_new());
  const bool v6 = local.address.find(':') != std::string::npos;
  const char* type = v6 ? "IP6" : "IP4";
  belle_sdp_session_description_set_version(s.get(), belle_sdp_version_create(0));
  belle_sdp_session_description_set_origin(
      s.get(), belle_sdp_origin_create(origin.username.c_str(), origin.session_id, origin.version, "IN", type,
                                       local.address.c_str()));
  belle_sdp_session_description_set_session_name(s.get(), belle_sdp_session_name_create(policy.session_name.c_str()));
  belle_sdp_session_description_set_connection(s.get(), belle_sdp_connection_create("IN", type, local.address.c_str()));
  belle_sdp_session_description_set_time_description(s.get(), belle_sdp_time_description_create(0, 0));
  return s;
}

void add_attribute(belle_sdp_media_description_t* md, const char* name, const std::string& value) {
  belle_sdp_media_description_add_attribute(md, belle_sdp_attribute_create(name, value.empty() ? nullptr : value.c_str()));
}

belle_sdp_media_description_t* new_audio(const LocalMedia& local, std::string_view protocol,
                                         const std::vector<int>& payload_types) {
  belle_sip_list_t* fmts = nullptr;
  for (int pt : payload_types) fmts = belle_sip_list_append(fmts, reinterpret_cast<void*>(static_cast<intptr_t>(pt)));
  return belle_sdp_media_description_create("audio", local.port, 1, std::string(protocol).c_str(), fmts);
}

void add_stream_attributes(belle_sdp_media_description_t* md, const LocalMedia& local, int ptime, MediaDirection direction,
                           bool rtcp_mux) {
  add_attribute(md, "ptime", std::to_string(ptime));
  if (rtcp_mux) add_attribute(md, "rtcp-mux", "");
  if (local.rtcp_port != 0 && !rtcp_mux && local.rtcp_port != local.port + 1) {
    add_attribute(md, "rtcp", std::to_string(local.rtcp_port));
  }
  add_attribute(md, std::string(to_string(direction)).c_str(), "");
}

std::string crypto_value(const SdesCrypto& c) {
  std::string line = transport::format_sdes_crypto(c);  // "a=crypto:<tag> <suite> inline:<key>"
  return line.substr(std::strlen("a=crypto:"));
}

std::string to_text(const SessionRef& s) {
  char* text = belle_sip_object_to_string(s.get());
  std::string out = text ? text : "";
  belle_sip_free(text);
  return out;
}

void add_format(belle_sdp_media_description_t* md, const RtpFormat& f) {
  std::string map = std::to_string(f.payload_type) + " " + f.encoding + "/" + std::to_string(f.clock_rate_hz);
  if (f.channels > 1) map += "/" + std::to_string(f.channels);
  add_attribute(md, "rtpmap", map);
  if (!f.fmtp.empty()) add_attribute(md, "fmtp", std::to_string(f.payload_type) + " " + f.fmtp);
}

}  // namespace

// ---- public -----------------------------------------------------------------

std::string_view to_string(MediaDirection direction) noexcept {
  switch (direction) {
    case MediaDirection::sendrecv: return "sendrecv";
    case MediaDirection::sendonly: return "sendonly";
    case MediaDirection::recvonly: return "recvonly";
    case MediaDirection::inactive: return "inactive";
  }
  return "sendrecv";
}

bool sends(MediaDirection d) noexcept { return d == MediaDirection::sendrecv || d == MediaDirection::sendonly; }
bool receives(MediaDirection d) noexcept { return d == MediaDirection::sendrecv || d == MediaDirection::recvonly; }

void validate(const MediaPolicy& p) {
  if (p.codecs.empty()) throw Error(errc::invalid_argument, "media policy: codecs is empty");
  for (const auto& c : p.codecs) {
    if (!iequals(c, "PCMU") && !iequals(c, "PCMA") && !iequals(c, "opus")) {
      throw Error(errc::unknown_codec, "media policy: codec '" + c + "' is not one of PCMU, PCMA, opus");
    }
  }
  auto dynamic_pt = [](int pt, const char* field) {
    if (pt < 96 || pt > 127) {
      throw Error(errc::invalid_argument, std::string("media policy: ") + field + " " + std::to_string(pt) + " is not a dynamic payload type (96..127)");
    }
  };
  dynamic_pt(p.opus_payload_type, "opus_payload_type");
  dynamic_pt(p.telephone_event_pt_8000, "telephone_event_pt_8000");
  dynamic_pt(p.telephone_event_pt_48000, "telephone_event_pt_48000");
  if (p.telephone_event_pt_8000 == p.telephone_event_pt_48000 || p.opus_payload_type == p.telephone_event_pt_8000 ||
      p.opus_payload_type == p.telephone_event_pt_48000) {
    throw Error(errc::invalid_argument, "media policy: opus and telephone-event payload types must differ");
  }
  for (int r : p.telephone_event_rates_hz) {
    if (r != 8000 && r != 48000) {
      throw Error(errc::invalid_argument, "media policy: telephone-event rate " + std::to_string(r) + " is not 8000 or 48000");
    }
  }
  for (int t : p.accepted_ptimes_ms) {
    if (t != 10 && t != 20 && t != 40 && t != 60) {
      throw Error(errc::unsupported_frame_size, "media policy: accepted ptime " + std::to_string(t) + " is not 10, 20, 40 or 60");
    }
  }
  if (!accepted_ptime(p, p.ptime_ms)) {
    throw Error(errc::unsupported_frame_size, "media policy: ptime " + std::to_string(p.ptime_ms) + " is not among the accepted ptimes");
  }
  if (p.srtp != SrtpPolicy::off && p.srtp_profiles.empty()) {
    throw Error(errc::invalid_argument, "media policy: SRTP is on but srtp_profiles is empty");
  }
  if (p.opus.maxplaybackrate_hz < 8000 || p.opus.maxplaybackrate_hz > 48000) {
    throw Error(errc::invalid_argument, "media policy: opus maxplaybackrate " + std::to_string(p.opus.maxplaybackrate_hz) + " is outside 8000..48000");
  }
  if (p.session_name.empty() || p.session_name.find_first_of("\r\n") != std::string::npos) {
    throw Error(errc::invalid_argument, "media policy: session_name must be one non-empty line");
  }
}

SdpOrigin SdpOrigin::random() {
  SdpOrigin o;
  std::uint32_t r[2] = {0, 0};
  if (getrandom(r, sizeof(r), 0) != static_cast<ssize_t>(sizeof(r))) {
    throw Error(errc::io_error, "getrandom failed for the SDP origin");
  }
  o.session_id = r[0] & 0x7fffffffu;
  o.version = r[1] & 0x3fffffffu;  // room to bump for a lifetime of re-offers
  return o;
}

Outcome<MediaOffer> parse_sdp(std::string_view body, const SdpLimits& limits) {
  if (body.empty()) return sdp_failure("SDP body is empty");
  if (body.size() > limits.max_bytes) {
    return sdp_failure("SDP body of " + std::to_string(body.size()) + " bytes is too large (at most " +
                       std::to_string(limits.max_bytes) + ")");
  }
  if (body.find('\0') != std::string_view::npos) return sdp_failure("SDP body contains a NUL byte");
  const RawCounts raw = count_lines(body);
  if (raw.lines > limits.max_lines) {
    return sdp_failure("SDP body has " + std::to_string(raw.lines) + " lines (at most " + std::to_string(limits.max_lines) + ")");
  }
  if (raw.media > limits.max_media) {
    return sdp_failure("SDP body has " + std::to_string(raw.media) + " m= lines (at most " + std::to_string(limits.max_media) + ")");
  }
  if (raw.media == 0) return sdp_failure("SDP body has no m= line (no media)");

  const std::string text(body);
  auto session = adopt(belle_sdp_session_description_parse(text.c_str()));
  if (!session) return sdp_failure("SDP body is not valid SDP (belle-sip could not parse it)");

  MediaOffer out;
  if (belle_sdp_origin_t* o = belle_sdp_session_description_get_origin(session.get())) {
    const char* user = belle_sdp_origin_get_username(o);
    const char* address = belle_sdp_origin_get_address(o);
    out.origin_user = user ? user : "";
    out.origin_address = address ? address : "";
    out.session_id = belle_sdp_origin_get_session_id(o);
    out.session_version = belle_sdp_origin_get_session_version(o);
  } else {
    return sdp_failure("SDP body has no o= line");
  }

  belle_sip_list_t* session_attributes = belle_sdp_session_description_get_attributes(session.get());
  const std::size_t session_attribute_count = list_size(session_attributes);
  if (session_attribute_count > limits.max_attributes) {
    return sdp_failure("SDP session has " + std::to_string(session_attribute_count) + " attributes (at most " +
                       std::to_string(limits.max_attributes) + ")");
  }
  MediaDirection session_direction = MediaDirection::sendrecv;
  for (belle_sip_list_t* a = session_attributes; a != nullptr; a = a->next) {
    const char* name = belle_sdp_attribute_get_name(static_cast<belle_sdp_attribute_t*>(a->data));
    if (auto d = direction_attribute(name ? name : "")) session_direction = *d;
  }
  const auto session_connection = connection_of(belle_sdp_session_description_get_connection(session.get()));

  belle_sip_list_t* media = belle_sdp_session_description_get_media_descriptions(session.get());
  const std::size_t parsed_media = list_size(media);
  if (parsed_media != raw.media) {
    return sdp_failure("m= line " + std::to_string(parsed_media + 1) + " (or a line before it) could not be parsed");
  }
  std::size_t index = 0;
  for (belle_sip_list_t* l = media; l != nullptr; l = l->next, ++index) {
    auto m = read_media(static_cast<belle_sdp_media_description_t*>(l->data), index, session_connection,
                        session_direction, limits);
    if (!m) return m.failure();
    out.media.push_back(std::move(*m));
  }
  return out;
}

Outcome<MediaSession> answer_offer(const MediaOffer& offer, const MediaPolicy& policy, const MediaSession* current,
                                   MediaDirection wanted) {
  std::string reasons;
  for (std::size_t i = 0; i < offer.media.size(); ++i) {
    if (!iequals(offer.media[i].media, "audio")) continue;
    auto s = try_stream(offer.media[i], i, policy, current, wanted);
    if (s) return s;
    reasons += (reasons.empty() ? "" : "; ") + s.failure().message;
  }
  if (reasons.empty()) return refusal("the offer has no m=audio line");
  return refusal(reasons);
}

std::string write_answer(const MediaOffer& offer, const MediaSession& session, const LocalMedia& local,
                         const MediaPolicy& policy, SdpOrigin& origin) {
  auto s = new_session(local, policy, origin);
  for (std::size_t i = 0; i < offer.media.size(); ++i) {
    const MediaDescription& m = offer.media[i];
    if (i != session.media_index) {
      std::vector<int> pts{m.formats.empty() ? 0 : m.formats.front().payload_type};
      belle_sip_list_t* fmts = belle_sip_list_append(nullptr, reinterpret_cast<void*>(static_cast<intptr_t>(pts[0])));
      belle_sdp_session_description_add_media_description(
          s.get(), belle_sdp_media_description_create(m.media.empty() ? "audio" : m.media.c_str(), 0, 1,
                                                      m.protocol.empty() ? "RTP/AVP" : m.protocol.c_str(), fmts));
      continue;
    }
    std::vector<int> pts{session.payload_type};
    if (session.telephone_event_pt >= 0) pts.push_back(session.telephone_event_pt);
    belle_sdp_media_description_t* md = new_audio(local, m.protocol, pts);
    RtpFormat codec{session.payload_type, session.codec, session.clock_rate_hz, session.codec == "opus" ? 2 : 1, ""};
    if (session.codec == "opus") codec.fmtp = write_opus_fmtp(policy.opus);
    add_format(md, codec);
    if (session.telephone_event_pt >= 0) {
      add_format(md, RtpFormat{session.telephone_event_pt, "telephone-event", session.clock_rate_hz, 1, "0-16"});
    }
    add_stream_attributes(md, local, session.ptime_ms, session.direction, session.rtcp_mux);
    if (session.local_crypto) add_attribute(md, "crypto", crypto_value(*session.local_crypto));
    belle_sdp_session_description_add_media_description(s.get(), md);
  }
  return to_text(s);
}

PendingOffer make_offer(const MediaPolicy& policy, const LocalMedia& local, SdpOrigin& origin, MediaDirection direction,
                        const MediaSession* current) {
  PendingOffer p;
  p.direction = direction;
  p.rtcp_mux = policy.rtcp_mux;
  p.ptime_ms = current ? current->ptime_ms : policy.ptime_ms;
  p.secure_profile = policy.srtp == SrtpPolicy::required || (current != nullptr && current->secure_profile);

  std::vector<std::string> order;
  if (current != nullptr) order.push_back(current->codec);
  for (const auto& c : policy.codecs) {
    if (current == nullptr || !iequals(c, current->codec)) order.push_back(c);
  }
  bool narrow = false, wide = false;
  for (const auto& c : order) {
    if (iequals(c, "PCMU")) {
      p.formats.push_back({0, "PCMU", 8000, 1, ""});
      narrow = true;
    } else if (iequals(c, "PCMA")) {
      p.formats.push_back({8, "PCMA", 8000, 1, ""});
      narrow = true;
    } else if (iequals(c, "opus")) {
      const int pt = current != nullptr && current->codec == "opus" ? current->payload_type : policy.opus_payload_type;
      p.formats.push_back({pt, "opus", 48000, 2, write_opus_fmtp(policy.opus)});
      wide = true;
    }
  }
  if (narrow && accepts_event_rate(policy, 8000)) {
    const int pt = current != nullptr && current->clock_rate_hz == 8000 && current->telephone_event_pt >= 0
                       ? current->telephone_event_pt
                       : policy.telephone_event_pt_8000;
    p.formats.push_back({pt, "telephone-event", 8000, 1, "0-16"});
  }
  if (wide && accepts_event_rate(policy, 48000)) {
    const int pt = current != nullptr && current->clock_rate_hz == 48000 && current->telephone_event_pt >= 0
                       ? current->telephone_event_pt
                       : policy.telephone_event_pt_48000;
    p.formats.push_back({pt, "telephone-event", 48000, 1, "0-16"});
  }

  if (policy.srtp != SrtpPolicy::off || (current != nullptr && current->srtp())) {
    int tag = 1;
    for (SrtpProfile profile : policy.srtp_profiles) {
      if (current != nullptr && current->local_crypto && current->local_crypto->keys.profile == profile) {
        SdesCrypto kept = *current->local_crypto;
        kept.tag = tag++;
        p.local_crypto.push_back(std::move(kept));
      } else {
        p.local_crypto.push_back(new_key(profile, tag++));
      }
    }
  }

  auto s = new_session(local, policy, origin);
  std::vector<int> pts;
  for (const auto& f : p.formats) pts.push_back(f.payload_type);
  belle_sdp_media_description_t* md = new_audio(local, p.secure_profile ? "RTP/SAVP" : "RTP/AVP", pts);
  for (const auto& f : p.formats) add_format(md, f);
  add_stream_attributes(md, local, p.ptime_ms, direction, p.rtcp_mux);
  for (const auto& c : p.local_crypto) add_attribute(md, "crypto", crypto_value(c));
  belle_sdp_session_description_add_media_description(s.get(), md);
  p.sdp = to_text(s);
  return p;
}

Outcome<MediaSession> read_answer(const PendingOffer& offer, const MediaOffer& answer, const MediaPolicy& policy) {
  if (answer.media.empty()) return refusal("the answer has no m= line");
  const MediaDescription& m = answer.media.front();  // our offers carry one m=audio line
  const std::string where = "answer m= line 1";
  if (!iequals(m.media, "audio")) return refusal(where + ": media " + quote(m.media) + " is not audio");
  if (m.port == 0) return refusal(where + ": port 0 (the peer refused the audio stream)");
  if (m.address.empty()) return refusal(where + ": no c= connection address");
  if (!numeric_address(m.address, m.ipv6)) {
    return refusal(where + ": connection address " + quote(m.address) + " is not a numeric address");
  }
  MediaSession s;
  s.media_index = 0;
  s.remote_address = m.address;
  s.remote_port = m.port;
  s.remote_rtcp_port = m.rtcp_port;
  s.rtcp_mux = offer.rtcp_mux && m.rtcp_mux;
  s.secure_profile = secure_protocol(m.protocol);

  const RtpFormat* chosen = nullptr;
  for (const auto& f : m.formats) {
    for (const auto& o : offer.formats) {
      if (o.payload_type == f.payload_type && !iequals(o.encoding, "telephone-event") &&
          (f.encoding.empty() || iequals(o.encoding, f.encoding))) {
        chosen = &o;
        if (iequals(o.encoding, "opus")) s.remote_opus = parse_opus_fmtp(f.fmtp);
        break;
      }
    }
    if (chosen != nullptr) break;
  }
  if (chosen == nullptr) {
    std::string answered;
    for (const auto& f : m.formats) answered += (answered.empty() ? "" : ", ") + describe(f);
    return refusal(where + ": answers none of the codecs we offered (answered: " + (answered.empty() ? "none" : answered) + ")");
  }
  s.codec = chosen->encoding;
  s.payload_type = chosen->payload_type;
  s.clock_rate_hz = chosen->clock_rate_hz;
  s.channels = chosen->channels;
  for (const auto& f : m.formats) {
    if (!iequals(f.encoding, "telephone-event") || f.clock_rate_hz != s.clock_rate_hz) continue;
    for (const auto& o : offer.formats) {
      if (o.payload_type == f.payload_type && iequals(o.encoding, "telephone-event")) s.telephone_event_pt = f.payload_type;
    }
  }
  auto ptime = choose_ptime(policy, m.ptime_ms, m.maxptime_ms, where, offer.ptime_ms);
  if (!ptime) return ptime.failure();
  s.ptime_ms = *ptime;

  if (!m.crypto.empty() && !offer.local_crypto.empty()) {
    const SdesCrypto& theirs = m.crypto.front();
    for (const auto& mine : offer.local_crypto) {
      if (mine.keys.profile == theirs.keys.profile && mine.tag == theirs.tag) {
        s.local_crypto = mine;
        s.remote_crypto = theirs;
      }
    }
    if (!s.local_crypto) {
      return refusal(where + ": a=crypto tag " + std::to_string(theirs.tag) + " " +
                     std::string(transport::sdes_suite_name(theirs.keys.profile)) + " matches none we offered");
    }
  }
  if (!s.local_crypto && (policy.srtp == SrtpPolicy::required || offer.secure_profile)) {
    return refusal(where + ": SRTP was required but the answer has no matching a=crypto");
  }
  s.direction = intersect(offer.direction, reverse(peer_direction(m)));
  return s;
}

MediaChange compare(const MediaSession& a, const MediaSession& b) {
  MediaChange c;
  c.remote_address = a.remote_address != b.remote_address || a.remote_port != b.remote_port ||
                     a.remote_rtcp_port != b.remote_rtcp_port || a.rtcp_mux != b.rtcp_mux;
  c.codec = a.codec != b.codec || a.payload_type != b.payload_type || a.clock_rate_hz != b.clock_rate_hz ||
            a.remote_opus.useinbandfec != b.remote_opus.useinbandfec || a.remote_opus.usedtx != b.remote_opus.usedtx ||
            a.remote_opus.maxplaybackrate_hz != b.remote_opus.maxplaybackrate_hz ||
            a.remote_opus.maxaveragebitrate_bps != b.remote_opus.maxaveragebitrate_bps;
  c.telephone_event = a.telephone_event_pt != b.telephone_event_pt;
  c.ptime = a.ptime_ms != b.ptime_ms;
  auto same_key = [](const std::optional<SdesCrypto>& x, const std::optional<SdesCrypto>& y) {
    if (x.has_value() != y.has_value()) return false;
    return !x || (x->keys.profile == y->keys.profile && x->keys.key_salt == y->keys.key_salt);
  };
  c.keys = !same_key(a.local_crypto, b.local_crypto) || !same_key(a.remote_crypto, b.remote_crypto);
  c.direction = a.direction != b.direction;
  return c;
}

transport::RtpConfig rtp_config(const MediaSession& s) {
  transport::RtpConfig c;
  c.payload_type = s.payload_type;
  c.clock_rate_hz = s.clock_rate_hz;
  c.telephone_event_pt = s.telephone_event_pt;
  if (s.local_crypto) c.srtp_send = s.local_crypto->keys;
  if (s.remote_crypto) c.srtp_recv = s.remote_crypto->keys;
  c.rtcp_mux = s.rtcp_mux;
  return c;
}

codec::CodecParams codec_params(const MediaSession& s, int pcm_rate_hz) {
  codec::CodecParams p;
  p.ptime_ms = s.ptime_ms;
  p.sample_rate_hz = pcm_rate_hz;
  if (s.codec == "opus") {
    // Opus API rates 8/16/24/48 kHz; never above what the peer will play.
    static constexpr int kRates[] = {48000, 24000, 16000, 8000};
    const int cap = std::min(pcm_rate_hz, s.remote_opus.maxplaybackrate_hz);
    p.sample_rate_hz = 8000;
    for (int r : kRates) {
      if (r <= cap) {
        p.sample_rate_hz = r;
        break;
      }
    }
    p.fec = s.remote_opus.useinbandfec;
    p.dtx = s.remote_opus.usedtx;
    p.bitrate_bps = s.remote_opus.maxaveragebitrate_bps;
  } else {
    p.sample_rate_hz = 8000;
  }
  return p;
}

}  // namespace libconf::sip
