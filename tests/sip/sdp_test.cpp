#include "libconf/sip/sdp.hpp"

#include <gtest/gtest.h>

#include <string>

namespace libconf::sip {
namespace {

using transport::SrtpProfile;

// A 30-byte AES-CM key and a 28-byte GCM key, base64.
constexpr const char* kAesKey = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";
constexpr const char* kGcmKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYg==";

std::string sdp(const std::string& media_lines, const std::string& connection = "c=IN IP4 192.0.2.10\r\n") {
  return "v=0\r\no=alice 2890844526 2890844527 IN IP4 192.0.2.10\r\ns=-\r\n" + connection + "t=0 0\r\n" + media_lines;
}

std::string audio(const std::string& formats, const std::string& attributes, int port = 49170,
                  const std::string& proto = "RTP/AVP") {
  return "m=audio " + std::to_string(port) + " " + proto + " " + formats + "\r\n" + attributes;
}

MediaOffer parse_ok(const std::string& text) {
  auto o = parse_sdp(text);
  EXPECT_TRUE(o.has_value()) << o.failure().message;
  return o.has_value() ? *o : MediaOffer{};
}

MediaSession answer_ok(const std::string& text, const MediaPolicy& policy = {}) {
  auto o = parse_ok(text);
  auto s = answer_offer(o, policy);
  EXPECT_TRUE(s.has_value()) << s.failure().message;
  return s.has_value() ? *s : MediaSession{};
}

std::string refusal(const std::string& text, const MediaPolicy& policy = {}) {
  auto o = parse_sdp(text);
  if (!o) return o.failure().message;
  auto s = answer_offer(*o, policy);
  EXPECT_FALSE(s.has_value());
  return s.has_value() ? std::string() : s.failure().message;
}

TEST(SdpParse, ReadsEveryFieldOfAnAudioLine) {
  auto o = parse_ok(sdp(audio("0 8 111 101",
                              "a=rtpmap:111 opus/48000/2\r\na=fmtp:111 useinbandfec=1;stereo=1\r\n"
                              "a=rtpmap:101 telephone-event/48000\r\na=fmtp:101 0-16\r\na=ptime:40\r\na=maxptime:60\r\n"
                              "a=rtcp:49171 IN IP4 192.0.2.10\r\na=rtcp-mux\r\na=sendonly\r\n")));
  ASSERT_EQ(o.media.size(), 1u);
  const auto& m = o.media[0];
  EXPECT_EQ(o.origin_user, "alice");
  EXPECT_EQ(o.session_version, 2890844527u);
  EXPECT_EQ(m.media, "audio");
  EXPECT_EQ(m.port, 49170);
  EXPECT_EQ(m.address, "192.0.2.10");
  EXPECT_EQ(m.rtcp_port, 49171);
  EXPECT_TRUE(m.rtcp_mux);
  EXPECT_EQ(m.direction, MediaDirection::sendonly);
  EXPECT_EQ(m.ptime_ms, 40);
  EXPECT_EQ(m.maxptime_ms, 60);
  ASSERT_EQ(m.formats.size(), 4u);
  EXPECT_EQ(m.formats[0].encoding, "PCMU");  // static, no rtpmap
  EXPECT_EQ(m.formats[1].encoding, "PCMA");
  EXPECT_EQ(m.formats[2].encoding, "opus");
  EXPECT_EQ(m.formats[2].channels, 2);
  EXPECT_EQ(m.formats[2].fmtp, "useinbandfec=1;stereo=1");
  EXPECT_EQ(m.formats[3].clock_rate_hz, 48000);
}

TEST(SdpParse, MediaLevelConnectionWinsAndIpv6IsRead) {
  auto o = parse_ok(sdp(audio("0", "c=IN IP6 2001:db8::1\r\n")));
  EXPECT_EQ(o.media[0].address, "2001:db8::1");
  EXPECT_TRUE(o.media[0].ipv6);
}

TEST(SdpParse, SessionDirectionAppliesToMedia) {
  auto o = parse_ok(sdp("a=inactive\r\n" + audio("0", "")));
  EXPECT_EQ(o.media[0].direction, MediaDirection::inactive);
}

TEST(SdpAnswer, PcmuAndTelephoneEvent8000) {
  auto s = answer_ok(sdp(audio("0 101", "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n")));
  EXPECT_EQ(s.codec, "PCMU");
  EXPECT_EQ(s.payload_type, 0);
  EXPECT_EQ(s.clock_rate_hz, 8000);
  EXPECT_EQ(s.telephone_event_pt, 101);
  EXPECT_EQ(s.ptime_ms, 20);
  EXPECT_EQ(s.remote_address, "192.0.2.10");
  EXPECT_EQ(s.remote_port, 49170);
  EXPECT_FALSE(s.srtp());
}

TEST(SdpAnswer, PcmaWhenOfferedFirst) {
  auto s = answer_ok(sdp(audio("8 0", "")));
  EXPECT_EQ(s.codec, "PCMA");
  EXPECT_EQ(s.payload_type, 8);
}

TEST(SdpAnswer, OurOrderWhenConfigured) {
  MediaPolicy p;
  p.codecs = {"opus", "PCMU"};
  p.honour_offer_order = false;
  auto s = answer_ok(sdp(audio("0 96", "a=rtpmap:96 opus/48000/2\r\n")), p);
  EXPECT_EQ(s.codec, "opus");
  EXPECT_EQ(s.payload_type, 96);
}

TEST(SdpAnswer, OpusFmtpMonoStereoFecDtxPlaybackRate) {
  auto s = answer_ok(sdp(audio("107 110",
                               "a=rtpmap:107 opus/48000/2\r\n"
                               "a=fmtp:107 maxplaybackrate=16000; stereo=1; sprop-stereo=1; useinbandfec=1; usedtx=1; "
                               "maxaveragebitrate=20000\r\n"
                               "a=rtpmap:110 telephone-event/48000\r\n")));
  EXPECT_EQ(s.codec, "opus");
  EXPECT_EQ(s.payload_type, 107);
  EXPECT_EQ(s.clock_rate_hz, 48000);
  EXPECT_EQ(s.channels, 2);
  EXPECT_TRUE(s.remote_opus.stereo);
  EXPECT_TRUE(s.remote_opus.useinbandfec);
  EXPECT_TRUE(s.remote_opus.usedtx);
  EXPECT_EQ(s.remote_opus.maxplaybackrate_hz, 16000);
  EXPECT_EQ(s.remote_opus.maxaveragebitrate_bps, 20000);
  EXPECT_EQ(s.telephone_event_pt, 110);
  const auto params = codec_params(s, 48000);
  EXPECT_EQ(params.sample_rate_hz, 16000);  // capped by maxplaybackrate
  EXPECT_TRUE(params.fec);
  EXPECT_TRUE(params.dtx);
  EXPECT_EQ(params.bitrate_bps, 20000);

  auto mono = answer_ok(sdp(audio("111", "a=rtpmap:111 opus/48000/2\r\na=fmtp:111 stereo=0\r\n")));
  EXPECT_FALSE(mono.remote_opus.stereo);
  EXPECT_FALSE(mono.remote_opus.useinbandfec);
  EXPECT_EQ(mono.remote_opus.maxplaybackrate_hz, 48000);
}

TEST(SdpAnswer, TelephoneEventMustMatchTheCodecClock) {
  // PCMU at 8000 with only telephone-event/48000 offered: no events.
  auto s = answer_ok(sdp(audio("0 110", "a=rtpmap:110 telephone-event/48000\r\n")));
  EXPECT_EQ(s.codec, "PCMU");
  EXPECT_EQ(s.telephone_event_pt, -1);
  // Both offered: opus takes the 48000 one.
  auto o = answer_ok(sdp(audio("111 101 110", "a=rtpmap:111 opus/48000/2\r\na=rtpmap:101 telephone-event/8000\r\n"
                                              "a=rtpmap:110 telephone-event/48000\r\n")));
  EXPECT_EQ(o.telephone_event_pt, 110);
  // Not accepted at 48000 by policy.
  MediaPolicy p;
  p.telephone_event_rates_hz = {8000};
  auto n = answer_ok(sdp(audio("111 110", "a=rtpmap:111 opus/48000/2\r\na=rtpmap:110 telephone-event/48000\r\n")), p);
  EXPECT_EQ(n.telephone_event_pt, -1);
}

TEST(SdpAnswer, G722IsNotAccepted) {
  auto why = refusal(sdp(audio("9", "a=rtpmap:9 G722/8000\r\n")));
  EXPECT_NE(why.find("no acceptable codec"), std::string::npos) << why;
  EXPECT_NE(why.find("9 G722/8000"), std::string::npos) << why;
}

TEST(SdpAnswer, PtimeAskedAcceptedOrRefused) {
  for (int t : {10, 20, 40, 60}) {
    auto s = answer_ok(sdp(audio("0", "a=ptime:" + std::to_string(t) + "\r\n")));
    EXPECT_EQ(s.ptime_ms, t);
  }
  // 30 is sane but not one we send: our default.
  EXPECT_EQ(answer_ok(sdp(audio("0", "a=ptime:30\r\n"))).ptime_ms, 20);
  // maxptime below our default: the largest accepted below it.
  EXPECT_EQ(answer_ok(sdp(audio("0", "a=maxptime:15\r\n"))).ptime_ms, 10);
  auto why = refusal(sdp(audio("0", "a=ptime:100000\r\n")));
  EXPECT_NE(why.find("ptime 100000 ms is absurd"), std::string::npos) << why;
  why = refusal(sdp(audio("0", "a=ptime:abc\r\n")));
  EXPECT_NE(why.find("ptime is not a number"), std::string::npos) << why;
  why = refusal(sdp(audio("0", "a=maxptime:5\r\n")));
  EXPECT_NE(why.find("maxptime 5 ms"), std::string::npos) << why;
}

TEST(SdpAnswer, DirectionsAndHold) {
  struct Case {
    const char* offered;
    MediaDirection ours;
  } cases[] = {{"a=sendrecv\r\n", MediaDirection::sendrecv},
               {"a=sendonly\r\n", MediaDirection::recvonly},
               {"a=recvonly\r\n", MediaDirection::sendonly},
               {"a=inactive\r\n", MediaDirection::inactive},
               {"", MediaDirection::sendrecv}};
  for (const auto& c : cases) {
    EXPECT_EQ(answer_ok(sdp(audio("0", c.offered))).direction, c.ours) << c.offered;
  }
  // RFC 2543 hold: c=0.0.0.0 means "do not send to me".
  auto held = answer_ok(sdp(audio("0", ""), "c=IN IP4 0.0.0.0\r\n"));
  EXPECT_EQ(held.direction, MediaDirection::recvonly);
  // We want to hold: an offer of sendrecv is answered sendonly.
  auto o = parse_ok(sdp(audio("0", "")));
  auto s = answer_offer(o, MediaPolicy{}, nullptr, MediaDirection::sendonly);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->direction, MediaDirection::sendonly);
}

TEST(SdpAnswer, SdesCryptoEverySuite) {
  struct Case {
    std::string line;
    SrtpProfile profile;
  } cases[] = {{std::string("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:") + kAesKey + "\r\n", SrtpProfile::aes_cm_128_hmac_sha1_80},
               {std::string("a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:") + kAesKey + "\r\n", SrtpProfile::aes_cm_128_hmac_sha1_32},
               {std::string("a=crypto:3 AEAD_AES_128_GCM inline:") + kGcmKey + "\r\n", SrtpProfile::aead_aes_128_gcm}};
  for (const auto& c : cases) {
    auto s = answer_ok(sdp(audio("0", c.line, 49170, "RTP/SAVP")));
    ASSERT_TRUE(s.srtp()) << c.line;
    EXPECT_TRUE(s.secure_profile);
    EXPECT_EQ(s.remote_crypto->keys.profile, c.profile);
    EXPECT_EQ(s.local_crypto->keys.profile, c.profile);
    EXPECT_EQ(s.local_crypto->tag, s.remote_crypto->tag);
    EXPECT_NE(s.local_crypto->keys.key_salt, s.remote_crypto->keys.key_salt);
    const auto rtp = rtp_config(s);
    ASSERT_TRUE(rtp.srtp_send && rtp.srtp_recv);
    EXPECT_EQ(rtp.srtp_recv->key_salt, s.remote_crypto->keys.key_salt);
  }
}

TEST(SdpAnswer, FirstAcceptableCryptoLineWins) {
  MediaPolicy p;
  p.srtp_profiles = {SrtpProfile::aes_cm_128_hmac_sha1_80};
  auto s = answer_ok(sdp(audio("0",
                               std::string("a=crypto:1 AEAD_AES_128_GCM inline:") + kGcmKey + "\r\n" +
                                   "a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:" + kAesKey + "\r\n",
                               49170, "RTP/SAVP")),
                     p);
  EXPECT_EQ(s.remote_crypto->tag, 2);
  EXPECT_EQ(s.remote_crypto->keys.profile, SrtpProfile::aes_cm_128_hmac_sha1_80);
}

TEST(SdpAnswer, BestEffortSrtpOnAvpAndRequiredPolicy) {
  const std::string crypto = std::string("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:") + kAesKey + "\r\n";
  // RTP/AVP with a=crypto: taken when optional.
  auto s = answer_ok(sdp(audio("0", crypto)));
  EXPECT_TRUE(s.srtp());
  EXPECT_FALSE(s.secure_profile);
  // Off: plain RTP, the key ignored; RTP/SAVP refused.
  MediaPolicy off;
  off.srtp = SrtpPolicy::off;
  EXPECT_FALSE(answer_ok(sdp(audio("0", crypto)), off).srtp());
  EXPECT_NE(refusal(sdp(audio("0", crypto, 49170, "RTP/SAVP")), off).find("SRTP is off"), std::string::npos);
  // Required: an offer without crypto is refused.
  MediaPolicy required;
  required.srtp = SrtpPolicy::required;
  auto why = refusal(sdp(audio("0", "")), required);
  EXPECT_NE(why.find("SRTP is required"), std::string::npos) << why;
  // RTP/SAVP with a malformed key: refused, and the line is named.
  why = refusal(sdp(audio("0", "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:short\r\n", 49170, "RTP/SAVP")));
  EXPECT_NE(why.find("inline:short"), std::string::npos) << why;
  EXPECT_NE(why.find("malformed"), std::string::npos) << why;
  why = refusal(sdp(audio("0", std::string("a=crypto:1 F8_128_HMAC_SHA1_80 inline:") + kAesKey + "\r\n", 49170, "RTP/SAVP")));
  EXPECT_NE(why.find("not supported"), std::string::npos) << why;
}

TEST(SdpAnswer, RtcpMux) {
  EXPECT_TRUE(answer_ok(sdp(audio("0", "a=rtcp-mux\r\n"))).rtcp_mux);
  EXPECT_FALSE(answer_ok(sdp(audio("0", ""))).rtcp_mux);
  MediaPolicy p;
  p.rtcp_mux = false;
  EXPECT_FALSE(answer_ok(sdp(audio("0", "a=rtcp-mux\r\n")), p).rtcp_mux);
}

TEST(SdpAnswer, SkipsUnusableStreamsAndKeepsLinesInTheAnswer) {
  const std::string text = sdp("m=video 5000 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n" + audio("18", "", 6000) +
                               audio("8", "", 7000));
  auto o = parse_ok(text);
  auto s = answer_offer(o, MediaPolicy{});
  ASSERT_TRUE(s) << s.failure().message;
  EXPECT_EQ(s->media_index, 2u);
  EXPECT_EQ(s->remote_port, 7000);
  SdpOrigin origin{"libconf", 42, 7};
  const auto answer = write_answer(o, *s, LocalMedia{"127.0.0.1", 30000, 0}, MediaPolicy{}, origin);
  EXPECT_EQ(origin.version, 8u);
  auto back = parse_ok(answer);
  ASSERT_EQ(back.media.size(), 3u);
  EXPECT_EQ(back.media[0].media, "video");
  EXPECT_EQ(back.media[0].port, 0);
  EXPECT_EQ(back.media[1].port, 0);
  EXPECT_EQ(back.media[2].port, 30000);
  EXPECT_EQ(back.session_version, 8u);
}

TEST(SdpAnswer, WrittenAnswerRoundTrips) {
  MediaPolicy policy;
  policy.opus.useinbandfec = true;
  const std::string text = sdp(audio("111 110",
                                     "a=rtpmap:111 opus/48000/2\r\na=rtpmap:110 telephone-event/48000\r\na=ptime:40\r\n"
                                     "a=rtcp-mux\r\na=sendonly\r\na=crypto:7 AEAD_AES_128_GCM inline:" +
                                         std::string(kGcmKey) + "\r\n",
                                     49170, "RTP/SAVP"));
  auto o = parse_ok(text);
  auto s = answer_offer(o, policy);
  ASSERT_TRUE(s);
  SdpOrigin origin = SdpOrigin::random();
  const auto answer = write_answer(o, *s, LocalMedia{"::1", 30002, 0}, policy, origin);
  auto a = parse_ok(answer);
  ASSERT_EQ(a.media.size(), 1u);
  const auto& m = a.media[0];
  EXPECT_EQ(m.protocol, "RTP/SAVP");
  EXPECT_EQ(m.address, "::1");
  EXPECT_TRUE(m.ipv6);
  EXPECT_EQ(m.port, 30002);
  EXPECT_EQ(m.ptime_ms, 40);
  EXPECT_TRUE(m.rtcp_mux);
  EXPECT_EQ(m.direction, MediaDirection::recvonly);
  ASSERT_EQ(m.formats.size(), 2u);
  EXPECT_EQ(m.formats[0].payload_type, 111);
  EXPECT_EQ(m.formats[0].encoding, "opus");
  EXPECT_EQ(m.formats[0].channels, 2);
  EXPECT_NE(m.formats[0].fmtp.find("useinbandfec=1"), std::string::npos);
  EXPECT_EQ(m.formats[1].encoding, "telephone-event");
  ASSERT_EQ(m.crypto.size(), 1u);
  EXPECT_EQ(m.crypto[0].tag, 7);
  EXPECT_EQ(m.crypto[0].keys.key_salt, s->local_crypto->keys.key_salt);
}

TEST(SdpOffer, OfferAnswerBetweenTwoPolicies) {
  MediaPolicy caller;
  caller.codecs = {"opus", "PCMA"};
  caller.srtp = SrtpPolicy::required;
  caller.srtp_profiles = {SrtpProfile::aead_aes_128_gcm, SrtpProfile::aes_cm_128_hmac_sha1_80};
  SdpOrigin caller_origin = SdpOrigin::random();
  const auto offer = make_offer(caller, LocalMedia{"127.0.0.1", 20000, 0}, caller_origin);
  auto parsed = parse_ok(offer.sdp);
  ASSERT_EQ(parsed.media.size(), 1u);
  EXPECT_EQ(parsed.media[0].protocol, "RTP/SAVP");
  EXPECT_EQ(parsed.media[0].crypto.size(), 2u);
  EXPECT_EQ(parsed.media[0].formats.size(), 4u);  // opus, PCMA, telephone-event/8000, telephone-event/48000

  MediaPolicy callee;
  callee.srtp_profiles = {SrtpProfile::aes_cm_128_hmac_sha1_80};
  auto answered = answer_offer(parsed, callee);
  ASSERT_TRUE(answered) << answered.failure().message;
  EXPECT_EQ(answered->codec, "opus");
  SdpOrigin callee_origin = SdpOrigin::random();
  const auto answer_text = write_answer(parsed, *answered, LocalMedia{"127.0.0.1", 20002, 0}, callee, callee_origin);

  auto result = read_answer(offer, parse_ok(answer_text), caller);
  ASSERT_TRUE(result) << result.failure().message;
  EXPECT_EQ(result->codec, "opus");
  EXPECT_EQ(result->payload_type, caller.opus_payload_type);
  EXPECT_EQ(result->telephone_event_pt, caller.telephone_event_pt_48000);
  EXPECT_EQ(result->remote_port, 20002);
  ASSERT_TRUE(result->srtp());
  EXPECT_EQ(result->local_crypto->keys.profile, SrtpProfile::aes_cm_128_hmac_sha1_80);
  // Each side's send key is the other's receive key.
  EXPECT_EQ(result->remote_crypto->keys.key_salt, answered->local_crypto->keys.key_salt);
  EXPECT_EQ(result->local_crypto->keys.key_salt, answered->remote_crypto->keys.key_salt);
}

TEST(SdpOffer, ReofferBumpsVersionKeepsCodecAndKeyAndSignalsHold) {
  MediaPolicy policy;
  policy.srtp = SrtpPolicy::required;
  SdpOrigin origin{"libconf", 99, 1};
  const auto first = make_offer(policy, LocalMedia{"127.0.0.1", 20000, 0}, origin);
  EXPECT_EQ(origin.version, 2u);
  MediaPolicy peer_policy;
  peer_policy.codecs = {"PCMA", "PCMU"};
  peer_policy.honour_offer_order = false;
  auto peer = answer_offer(parse_ok(first.sdp), peer_policy);
  ASSERT_TRUE(peer);
  SdpOrigin peer_origin = SdpOrigin::random();
  auto session = read_answer(first, parse_ok(write_answer(parse_ok(first.sdp), *peer, LocalMedia{"127.0.0.1", 20002, 0},
                                                          peer_policy, peer_origin)),
                             policy);
  ASSERT_TRUE(session);
  EXPECT_EQ(session->codec, "PCMA");

  const auto hold = make_offer(policy, LocalMedia{"127.0.0.1", 20000, 0}, origin, MediaDirection::sendonly, &*session);
  EXPECT_EQ(origin.version, 3u);
  auto held = parse_ok(hold.sdp);
  EXPECT_EQ(held.session_version, 3u);
  EXPECT_EQ(held.session_id, 99u);
  EXPECT_EQ(held.media[0].direction, MediaDirection::sendonly);
  EXPECT_EQ(held.media[0].formats[0].encoding, "PCMA");  // the running codec first
  bool kept = false;
  for (const auto& c : held.media[0].crypto) kept |= c.keys.key_salt == session->local_crypto->keys.key_salt;
  EXPECT_TRUE(kept);

  // The peer answers the hold; the change is the direction only.
  auto peer2 = answer_offer(held, peer_policy, &*peer);
  ASSERT_TRUE(peer2);
  EXPECT_EQ(peer2->direction, MediaDirection::recvonly);
  const auto peer_change = compare(*peer, *peer2);
  EXPECT_TRUE(peer_change.direction);
  EXPECT_FALSE(peer_change.codec);
  EXPECT_FALSE(peer_change.keys) << "the peer keeps its key when the suite stays";
  EXPECT_FALSE(peer_change.remote_address);
}

TEST(SdpOffer, ReadAnswerRefusals) {
  MediaPolicy policy;
  SdpOrigin origin = SdpOrigin::random();
  const auto offer = make_offer(policy, LocalMedia{"127.0.0.1", 20000, 0}, origin);
  auto why = read_answer(offer, parse_ok(sdp(audio("0", "", 0))), policy);
  ASSERT_FALSE(why);
  EXPECT_NE(why.failure().message.find("port 0"), std::string::npos);
  why = read_answer(offer, parse_ok(sdp(audio("18", ""))), policy);
  ASSERT_FALSE(why);
  EXPECT_NE(why.failure().message.find("none of the codecs we offered"), std::string::npos);

  MediaPolicy required;
  required.srtp = SrtpPolicy::required;
  const auto secure = make_offer(required, LocalMedia{"127.0.0.1", 20000, 0}, origin);
  why = read_answer(secure, parse_ok(sdp(audio("0", "", 4000, "RTP/SAVP"))), required);
  ASSERT_FALSE(why);
  EXPECT_NE(why.failure().message.find("SRTP was required"), std::string::npos);
}

TEST(SdpCompare, EachChangeIsSeen) {
  MediaSession a;
  a.codec = "PCMU";
  a.remote_address = "192.0.2.1";
  a.remote_port = 4000;
  MediaSession b = a;
  EXPECT_FALSE(compare(a, b).any());
  b.remote_port = 4002;
  EXPECT_TRUE(compare(a, b).remote_address);
  b = a;
  b.codec = "PCMA";
  b.payload_type = 8;
  EXPECT_TRUE(compare(a, b).codec);
  b = a;
  b.telephone_event_pt = 101;
  EXPECT_TRUE(compare(a, b).telephone_event);
  b = a;
  b.direction = MediaDirection::inactive;
  EXPECT_TRUE(compare(a, b).direction);
  b = a;
  b.local_crypto = transport::SdesCrypto{1, transport::generate_srtp_keys(SrtpProfile::aead_aes_128_gcm), ""};
  EXPECT_TRUE(compare(a, b).keys);
}

// ---- hostile SDP: a clear error naming the value, never a crash --------------

TEST(SdpHostile, ClearErrors) {
  struct Case {
    std::string text;
    std::string needle;
  } cases[] = {
      {"", "empty"},
      {"hello world", "no m= line"},
      {sdp(""), "no m= line"},
      {std::string(9000, 'a'), "too large"},
      {"v=0\r\no=x\r\nm=audio 1 RTP/AVP 0\r\n", "not valid SDP"},
      {sdp(audio("0", "")).substr(0, 60) + std::string(1, '\0') + "x", "NUL"},
      {sdp(audio("0", "", 0)), "port 0"},
      {sdp(audio("18 3 9", "")), "no acceptable codec (offered: 18 G729/8000, 3 GSM/8000, 9 G722/8000"},
      {sdp(audio("96", "a=rtpmap:96 speex/16000\r\n")), "96 speex/16000"},
      {sdp(audio("0", "a=ptime:100000\r\n")), "ptime 100000 ms is absurd"},
      {sdp(audio("0", ""), "c=IN IP4 pbx.example.com\r\n"), "'pbx.example.com' is not a numeric IPv4"},
      {sdp(audio("0", ""), ""), "no c= connection address"},
      {sdp("m=video 5000 RTP/AVP 96\r\n"), "no m=audio line"},
      {sdp(audio("0", "", 5000, "UDP/TLS/RTP/SAVPF")), "'UDP/TLS/RTP/SAVPF' is not RTP/AVP"},
  };
  for (const auto& c : cases) {
    auto why = refusal(c.text);
    EXPECT_NE(why.find(c.needle), std::string::npos) << "expected '" << c.needle << "' in: " << why;
  }
}

TEST(SdpHostile, CountsAreBounded) {
  std::string attrs;
  for (int i = 0; i < 200; ++i) attrs += "a=x-junk:" + std::to_string(i) + "\r\n";
  auto why = refusal(sdp(audio("0", attrs)));
  EXPECT_NE(why.find("200 attributes (at most 128)"), std::string::npos) << why;

  std::string fmts;
  for (int i = 0; i < 40; ++i) {
    if (i > 0) fmts += ' ';
    fmts += std::to_string(96 + i % 32);
  }
  why = refusal(sdp(audio(fmts, "")));
  EXPECT_NE(why.find("40 payload formats (at most 32)"), std::string::npos) << why;

  std::string media;
  for (int i = 0; i < 9; ++i) media += audio("0", "", 4000 + 2 * i);
  why = refusal(sdp(media));
  EXPECT_NE(why.find("9 m= lines (at most 8)"), std::string::npos) << why;

  std::string lines;
  for (int i = 0; i < 400; ++i) lines += "a=x\r\n";
  why = refusal(sdp(audio("0", "")) + lines);
  EXPECT_NE(why.find("lines (at most 300)"), std::string::npos) << why;

  SdpLimits big;
  big.max_bytes = 1 << 20;
  big.max_lines = 1 << 20;
  std::string many;
  for (int i = 0; i < 5000; ++i) many += "a=x-junk:" + std::to_string(i) + "\r\n";
  auto parsed = parse_sdp(sdp(audio("0", many)), big);
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.failure().message.find("5000 attributes"), std::string::npos) << parsed.failure().message;
}

TEST(SdpPolicy, ValidateNamesTheBadField) {
  auto message = [](MediaPolicy p) {
    try {
      validate(p);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  MediaPolicy p;
  EXPECT_EQ(message(p), "");
  p.codecs = {"G729"};
  EXPECT_NE(message(p).find("'G729'"), std::string::npos);
  p = {};
  p.opus_payload_type = 8;
  EXPECT_NE(message(p).find("opus_payload_type 8"), std::string::npos);
  p = {};
  p.ptime_ms = 30;
  EXPECT_NE(message(p).find("ptime 30"), std::string::npos);
  p = {};
  p.telephone_event_rates_hz = {16000};
  EXPECT_NE(message(p).find("16000"), std::string::npos);
}

}  // namespace
}  // namespace libconf::sip
