#pragma once
/// @file
/// SDP offer/answer (RFC 3264) for one audio stream, on belle-sip's SDP
/// parser and writer (belle_sdp): parse a body into a typed MediaOffer,
/// choose what to accept by a MediaPolicy, build answers and offers (initial,
/// late offer, re-offers that bump the o= version), and say what a
/// renegotiation changed (MediaChange) so a host can update a running leg.
///
/// What is negotiated: PCMU, PCMA and opus (opus/48000/2; stereo, sprop-stereo,
/// useinbandfec, usedtx, maxplaybackrate, maxaveragebitrate fmtp), the
/// telephone-event payload whose clock matches the codec (8000 or 48000),
/// ptime 10/20/40/60 (a=ptime, a=maxptime), SDES SRTP (a=crypto,
/// AES_CM_128_HMAC_SHA1_80/32 and AEAD_AES_128_GCM) on RTP/AVP or RTP/SAVP,
/// rtcp-mux and a=rtcp, and the direction (sendrecv, sendonly, recvonly,
/// inactive; c=0.0.0.0 is read as the old hold). G.722 is not offered nor
/// accepted: libconf has no G.722 codec. Video and other media lines are
/// answered with port 0.
///
/// Errors: every function that reads a peer's SDP returns an Outcome whose
/// Failure names the bad value (no media, unknown codecs only, port 0,
/// absurd ptime, too many attributes, bad key...) with sip_status 488.
/// Threading: plain functions, no shared state; call from any one thread at a
/// time (belle-sip objects are created and freed inside each call).
/// Not real-time: they allocate.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libconf/codec/codec.hpp"
#include "libconf/sip/outcome.hpp"
#include "libconf/transport/rtp_transport.hpp"
#include "libconf/transport/srtp.hpp"

namespace libconf::sip {

enum class MediaDirection : std::uint8_t { sendrecv, sendonly, recvonly, inactive };
/// "sendrecv", "sendonly", "recvonly", "inactive".
std::string_view to_string(MediaDirection direction) noexcept;
bool sends(MediaDirection direction) noexcept;
bool receives(MediaDirection direction) noexcept;

/// SDES SRTP: off (never offer; refuse RTP/SAVP), optional (accept a=crypto
/// when offered, offer RTP/AVP with a=crypto as best effort), required (offer
/// RTP/SAVP; refuse offers without a usable a=crypto).
enum class SrtpPolicy : std::uint8_t { off, optional, required };

/// Opus fmtp parameters (RFC 7587 6.1). Written by a side about what it
/// wants to RECEIVE; so the peer's values drive our encoder.
struct OpusFmtp {
  bool stereo = false;
  bool useinbandfec = false;
  bool usedtx = false;
  int maxplaybackrate_hz = 48000;  ///< 8000..48000
  int maxaveragebitrate_bps = 0;   ///< 0 = not given (6000..510000 when given)
};

/// Bounds on a peer's SDP, checked before and after parsing.
struct SdpLimits {
  std::size_t max_bytes = 8192;       ///< whole body
  std::size_t max_lines = 300;        ///< lines of the body
  std::size_t max_media = 8;          ///< m= lines
  std::size_t max_formats = 32;       ///< payload types on one m= line
  std::size_t max_attributes = 128;   ///< a= lines of the session or of one m= line
};

/// What this side accepts and offers.
struct MediaPolicy {
  /// Codec names (CodecRegistry spelling: "PCMU", "PCMA", "opus"), most wanted first.
  std::vector<std::string> codecs = {"PCMU", "PCMA", "opus"};
  /// Answering: true takes the offer's first acceptable codec (RFC 3264 6.1
  /// asks to honour the offerer's order); false takes ours.
  bool honour_offer_order = true;
  int opus_payload_type = 111;  ///< in our offers (96..127)
  OpusFmtp opus;                ///< what we want to receive (our fmtp)
  /// telephone-event clocks we accept and offer (8000 and/or 48000); empty: none.
  std::vector<int> telephone_event_rates_hz = {8000, 48000};
  int telephone_event_pt_8000 = 101;   ///< in our offers (96..127)
  int telephone_event_pt_48000 = 110;  ///< in our offers (96..127)
  int ptime_ms = 20;  ///< what we ask for and use unless the offer asks for an accepted one
  std::vector<int> accepted_ptimes_ms = {10, 20, 40, 60};
  SrtpPolicy srtp = SrtpPolicy::optional;
  /// Crypto suites offered (in this order) and accepted.
  std::vector<transport::SrtpProfile> srtp_profiles = {transport::SrtpProfile::aead_aes_128_gcm,
                                                       transport::SrtpProfile::aes_cm_128_hmac_sha1_80,
                                                       transport::SrtpProfile::aes_cm_128_hmac_sha1_32};
  bool rtcp_mux = true;  ///< offer a=rtcp-mux, accept it when offered
  SdpLimits limits;
  std::string session_name = "libconf";
};

/// Checks a policy. Throws libconf::Error naming the bad field and value
/// (unknown codec, payload type out of 96..127, ptime not 10/20/40/60...).
void validate(const MediaPolicy& policy);

/// One payload format of an m= line (rtpmap + fmtp, or the RFC 3551 static name).
struct RtpFormat {
  int payload_type = 0;
  std::string encoding;   ///< as written ("PCMU", "opus", "telephone-event"); empty if unknown
  int clock_rate_hz = 0;
  int channels = 1;
  std::string fmtp;       ///< the parameters after "a=fmtp:<pt> ", verbatim
};

/// One m= line, typed.
struct MediaDescription {
  std::string media;      ///< "audio", "video", ...
  std::string protocol;   ///< "RTP/AVP", "RTP/SAVP", ...
  std::uint16_t port = 0;
  std::string address;    ///< numeric connection address (c= of the line, else of the session)
  bool ipv6 = false;
  std::uint16_t rtcp_port = 0;  ///< a=rtcp; 0 = not given
  bool rtcp_mux = false;
  MediaDirection direction = MediaDirection::sendrecv;
  bool hold_address = false;    ///< c=0.0.0.0 (RFC 2543 hold)
  int ptime_ms = 0;             ///< 0 = not given
  int maxptime_ms = 0;          ///< 0 = not given
  std::vector<RtpFormat> formats;
  std::vector<transport::SdesCrypto> crypto;  ///< usable a=crypto lines, in order
  std::vector<std::string> crypto_refused;    ///< why the others were not usable
};

/// A parsed SDP body (an offer or an answer).
struct MediaOffer {
  std::string origin_user;
  std::string origin_address;
  std::uint32_t session_id = 0;
  std::uint32_t session_version = 0;
  std::vector<MediaDescription> media;
};

/// Parses an SDP body with belle-sip, within limits. Failure names the
/// problem: too large, not SDP, too many lines/media/formats/attributes, a
/// non-numeric or unknown connection address, an absurd ptime.
Outcome<MediaOffer> parse_sdp(std::string_view body, const SdpLimits& limits = {});

/// The negotiated audio stream: everything a host needs for an engine leg
/// and its RtpTransport.
struct MediaSession {
  std::size_t media_index = 0;  ///< the m= line carrying the audio
  std::string codec;            ///< CodecRegistry name: "PCMU", "PCMA", "opus"
  int payload_type = 0;
  int clock_rate_hz = 8000;     ///< RTP clock of the codec (and of telephone-event)
  int channels = 1;             ///< as in rtpmap (opus: 2); libconf sends mono
  OpusFmtp remote_opus;         ///< what the peer wants to receive (drives our encoder)
  int telephone_event_pt = -1;  ///< -1: none negotiated
  int ptime_ms = 20;
  MediaDirection direction = MediaDirection::sendrecv;  ///< OUR direction
  std::string remote_address;   ///< numeric; "0.0.0.0" while held the old way
  std::uint16_t remote_port = 0;
  std::uint16_t remote_rtcp_port = 0;  ///< 0 = port + 1 (or the RTP port with rtcp_mux)
  bool rtcp_mux = false;
  bool secure_profile = false;  ///< RTP/SAVP on the m= line
  std::optional<transport::SdesCrypto> local_crypto;   ///< our key (protects what we send)
  std::optional<transport::SdesCrypto> remote_crypto;  ///< the peer's key (protects what we receive)
  bool srtp() const noexcept { return local_crypto.has_value(); }
};

/// Our side of the stream, written into our SDP.
struct LocalMedia {
  std::string address;            ///< numeric IPv4 or IPv6
  std::uint16_t port = 0;         ///< RTP port (even, as RFC 3550 asks)
  std::uint16_t rtcp_port = 0;    ///< written as a=rtcp when not port + 1; 0 = port + 1
};

/// Our o= line for one dialog. Each new SDP we send in the dialog carries
/// version + 1 (RFC 3264 8: a re-offer, and an answer that changes
/// anything, must bump it; bumping every time is always correct).
struct SdpOrigin {
  std::string username = "libconf";
  std::uint32_t session_id = 0;
  std::uint32_t version = 0;
  /// A random session id and version (from the kernel CSPRNG).
  static SdpOrigin random();
};

/// Answers an offer. current: the session running now (a re-offer), whose
/// codec and key are kept when the offer still allows them. Failure: no
/// acceptable audio stream (each candidate's reason is named), SRTP
/// required but not offered, etc.
Outcome<MediaSession> answer_offer(const MediaOffer& offer, const MediaPolicy& policy,
                                   const MediaSession* current = nullptr,
                                   MediaDirection wanted = MediaDirection::sendrecv);

/// Writes the answer SDP: the chosen stream with our address, the other m=
/// lines refused with port 0. Bumps origin.version.
std::string write_answer(const MediaOffer& offer, const MediaSession& session, const LocalMedia& local,
                         const MediaPolicy& policy, SdpOrigin& origin);

/// What we offered, kept to read the answer.
struct PendingOffer {
  std::string sdp;
  std::vector<RtpFormat> formats;                   ///< audio formats offered, in order
  std::vector<transport::SdesCrypto> local_crypto;  ///< one key per offered suite
  MediaDirection direction = MediaDirection::sendrecv;
  bool secure_profile = false;
  bool rtcp_mux = false;
  int ptime_ms = 20;
};

/// Builds an offer (dial-out, late offer in a 200 OK, or a re-offer). For a
/// re-offer pass current: its codec is offered first and its key kept.
/// Bumps origin.version.
PendingOffer make_offer(const MediaPolicy& policy, const LocalMedia& local, SdpOrigin& origin,
                        MediaDirection direction = MediaDirection::sendrecv,
                        const MediaSession* current = nullptr);

/// Reads the answer to our offer. Failure: the answer picks nothing we
/// offered, refuses the stream (port 0), drops SRTP we required, etc.
Outcome<MediaSession> read_answer(const PendingOffer& offer, const MediaOffer& answer, const MediaPolicy& policy);

/// What a renegotiation (re-INVITE, UPDATE, late answer) changed; each flag
/// maps to a field of an engine leg update.
struct MediaChange {
  bool remote_address = false;  ///< address, RTP or RTCP port, rtcp-mux
  bool codec = false;           ///< codec, clock rate, payload type or the peer's opus fmtp
  bool telephone_event = false; ///< telephone-event payload type
  bool ptime = false;
  bool keys = false;            ///< either SRTP key (or SRTP switched on/off)
  bool direction = false;       ///< hold / unhold
  bool any() const noexcept { return remote_address || codec || telephone_event || ptime || keys || direction; }
};
MediaChange compare(const MediaSession& before, const MediaSession& after);

/// The RtpTransport settings for a negotiated session (payload types, clock,
/// SRTP keys both ways, rtcp-mux); the caller fills in local address/port.
transport::RtpConfig rtp_config(const MediaSession& session);
/// Encoder settings the peer asked for (FEC, DTX, max average bitrate, ptime)
/// at pcm_rate_hz (capped by the peer's opus maxplaybackrate).
codec::CodecParams codec_params(const MediaSession& session, int pcm_rate_hz);

}  // namespace libconf::sip
