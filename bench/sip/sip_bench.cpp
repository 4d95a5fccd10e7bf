// Control-thread cost of SDP offer/answer per call, on belle-sip's SDP parser
// and writer: parse an offer, answer it, write the answer; and the whole
// exchange seen from the caller (make the offer, read the answer). Baseline in
// the same run: encoding one 20 ms Opus frame at 48 kHz, the unit of media
// work, so the ratio says how many frames of one leg's encoding an SDP
// negotiation costs.
//   build/release/bench/sip/bench_sip [--benchmark_min_time=0.5]
#include <benchmark/benchmark.h>

#include <vector>

#include "libconf/codec/registry.hpp"
#include "libconf/sip/sdp.hpp"
#include "support/signals.hpp"

namespace {

using namespace libconf::sip;

// What a typical desk phone or trunk offers: G.711, Opus, G.722, G.729,
// two telephone-events, SRTP, rtcp-mux.
const std::string kOffer =
    "v=0\r\no=phone 1234 5678 IN IP4 192.0.2.10\r\ns=call\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n"
    "m=audio 49170 RTP/SAVP 111 0 8 9 18 101 110\r\na=rtpmap:111 opus/48000/2\r\n"
    "a=fmtp:111 minptime=10;useinbandfec=1;stereo=0\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:9 G722/8000\r\na=rtpmap:18 G729/8000\r\na=fmtp:18 annexb=no\r\na=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\na=rtpmap:110 telephone-event/48000\r\na=ptime:20\r\na=rtcp-mux\r\na=sendrecv\r\n"
    "a=crypto:1 AEAD_AES_128_GCM inline:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYg==\r\n"
    "a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n";

void BM_SdpParse(benchmark::State& state) {
  for (auto _ : state) {
    auto offer = parse_sdp(kOffer);
    benchmark::DoNotOptimize(offer);
  }
}

void BM_SdpAnswerCall(benchmark::State& state) {
  MediaPolicy policy;
  SdpOrigin origin = SdpOrigin::random();
  for (auto _ : state) {
    auto offer = parse_sdp(kOffer);
    auto session = answer_offer(*offer, policy);
    auto text = write_answer(*offer, *session, LocalMedia{"198.51.100.1", 30000, 0}, policy, origin);
    benchmark::DoNotOptimize(text);
  }
}

void BM_SdpDialCall(benchmark::State& state) {
  MediaPolicy policy;
  policy.srtp = SrtpPolicy::required;
  SdpOrigin ours = SdpOrigin::random(), theirs = SdpOrigin::random();
  const auto offer = make_offer(policy, LocalMedia{"198.51.100.1", 30000, 0}, ours);
  const auto parsed = parse_sdp(offer.sdp);
  const auto answer = write_answer(*parsed, *answer_offer(*parsed, policy), LocalMedia{"192.0.2.10", 40000, 0}, policy, theirs);
  for (auto _ : state) {
    auto o = make_offer(policy, LocalMedia{"198.51.100.1", 30000, 0}, ours);
    auto a = parse_sdp(answer);
    auto session = read_answer(o, *a, policy);
    benchmark::DoNotOptimize(session);
  }
}

void BM_Baseline_OpusEncode20ms(benchmark::State& state) {
  libconf::codec::CodecParams p;
  p.sample_rate_hz = 48000;
  auto codec = libconf::codec::CodecRegistry::with_builtin_codecs().create_or_throw("opus", p);
  const auto x = libconf::test::speech_like(-20.0, 48000, 960 * 50, 3);
  std::vector<std::uint8_t> out(libconf::codec::kMaxEncodedFrameBytes);
  std::size_t f = 0;
  for (auto _ : state) {
    auto n = codec->encode(std::span(x).subspan((f++ % 50) * 960, 960), out);
    benchmark::DoNotOptimize(n);
  }
}

BENCHMARK(BM_SdpParse);
BENCHMARK(BM_SdpAnswerCall);
BENCHMARK(BM_SdpDialCall);
BENCHMARK(BM_Baseline_OpusEncode20ms);

}  // namespace

BENCHMARK_MAIN();
