#include "libconf/mix/mixer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "libconf/audio/level.hpp"
#include "support/alloc_counter.hpp"
#include "support/signals.hpp"

namespace libconf::mix {
namespace {

constexpr int kRate = 16000;

// Drives a mixer for whole signals: feeds each leg's signal frame by frame,
// marks legs with non-silent input as talking, and collects what each heard.
struct Harness {
  explicit Harness(MixerConfig c = {}) : mixer(c) {}
  Mixer mixer;
  std::map<LegId, std::vector<std::int16_t>> in, out;

  LegId add(std::vector<std::int16_t> signal) {
    LegId id = *mixer.add_leg();
    in[id] = std::move(signal);
    return id;
  }
  void run(std::size_t frames) {
    const std::size_t n = mixer.frame_samples();
    for (std::size_t f = 0; f < frames; ++f) {
      for (auto& [id, sig] : in) {
        auto dst = mixer.input(id);
        std::span<const std::int16_t> src(sig.data() + f * n, n);
        std::copy(src.begin(), src.end(), dst.begin());
        const double level = audio::rms_dbfs(src);
        mixer.set_voice(id, level > -60.0, static_cast<float>(level));
      }
      mixer.mix();
      for (auto& [id, sig] : in) {
        auto o = mixer.output(id);
        out[id].insert(out[id].end(), o.begin(), o.end());
      }
    }
  }
};

constexpr std::size_t kFrames = 50;  // 1 s
const std::size_t kSamples = kFrames * 320;

TEST(Mixer, NobodyHearsThemselvesAndOthersHearThemAtTheirLevel) {
  Harness h;
  auto a = h.add(test::sine(440, -20.0, kRate, kSamples));
  auto b = h.add(test::speech_like(-26.0, kRate, kSamples, 7));
  auto c = h.add(std::vector<std::int16_t>(kSamples, 0));
  h.run(kFrames);
  // What A hears is exactly B (and vice versa): A's own signal is absent, so
  // A's input correlates with A's output only as much as A and B correlate.
  const double ab = test::correlation(h.in[a], h.in[b]);
  EXPECT_NEAR(test::correlation(h.in[a], h.out[a]), ab, 1e-3);
  EXPECT_NEAR(test::correlation(h.in[b], h.out[b]), ab, 1e-3);
  EXPECT_EQ(h.out[a], h.in[b]);
  EXPECT_EQ(h.out[b], h.in[a]);
  // B hears A's tone at -20 dBFS ±0.5 dB; A hears B unchanged.
  EXPECT_NEAR(test::tone_level_dbfs(h.out[b], 440, kRate), -20.0, 0.5);
  EXPECT_GT(test::correlation(h.in[b], h.out[a]), 0.999);
  // C, a silent listener, hears both.
  EXPECT_NEAR(test::tone_level_dbfs(h.out[c], 440, kRate), -20.0, 0.5);
  for (std::size_t i = 0; i < kSamples; ++i) ASSERT_NEAR(h.out[c][i], h.in[a][i] + h.in[b][i], 1) << i;
}

TEST(Mixer, MutedDeafAndListenOnly) {
  Harness h;
  auto a = h.add(test::sine(440, -20.0, kRate, kSamples));
  auto m = h.add(test::sine(1000, -20.0, kRate, kSamples));  // muted talker
  auto d = h.add(std::vector<std::int16_t>(kSamples, 0));    // deaf
  auto l = h.add(test::sine(1700, -20.0, kRate, kSamples));  // listen-only (listen-in)
  ASSERT_TRUE(h.mixer.set_state(m, {.muted = true}));
  ASSERT_TRUE(h.mixer.set_state(d, {.deaf = true}));
  ASSERT_TRUE(h.mixer.set_state(l, {.listen_only = true}));
  h.run(kFrames);
  for (LegId who : {a, d, l}) EXPECT_LT(test::tone_level_dbfs(h.out[who], 1000, kRate), -90.0) << who;
  for (LegId who : {a, m, d}) EXPECT_LT(test::tone_level_dbfs(h.out[who], 1700, kRate), -90.0) << who;
  EXPECT_EQ(audio::peak_abs(h.out[d]), 0);
  EXPECT_NEAR(test::tone_level_dbfs(h.out[l], 440, kRate), -20.0, 0.5);  // listen-in hears the room
  EXPECT_NEAR(test::tone_level_dbfs(h.out[m], 440, kRate), -20.0, 0.5);  // muted still hears
  EXPECT_EQ(h.mixer.output_group(d), kSilentGroup);
}

TEST(Mixer, WhisperReachesOnlyItsTarget) {
  Harness h;
  auto a = h.add(test::sine(440, -20.0, kRate, kSamples));
  auto coach = h.add(test::sine(1200, -20.0, kRate, kSamples));
  auto b = h.add(std::vector<std::int16_t>(kSamples, 0));
  auto c = h.add(std::vector<std::int16_t>(kSamples, 0));
  ASSERT_TRUE(h.mixer.set_state(coach, {.listen_only = true}));
  ASSERT_TRUE(h.mixer.add_whisper(coach, b));
  h.run(kFrames);
  EXPECT_NEAR(test::tone_level_dbfs(h.out[b], 1200, kRate), -20.0, 0.5);
  EXPECT_NEAR(test::tone_level_dbfs(h.out[b], 440, kRate), -20.0, 0.5);
  for (LegId who : {a, c, coach}) EXPECT_LT(test::tone_level_dbfs(h.out[who], 1200, kRate), -90.0) << who;
  EXPECT_NEAR(test::tone_level_dbfs(h.out[coach], 440, kRate), -20.0, 0.5);  // coach listens in
  EXPECT_NE(h.mixer.output_group(b), kSharedGroup);
  EXPECT_EQ(h.mixer.output_group(c), kSharedGroup);
  ASSERT_TRUE(h.mixer.remove_whisper(coach, b));
  EXPECT_EQ(h.mixer.remove_whisper(coach, b).error(), errc::not_found);
  EXPECT_EQ(h.mixer.add_whisper(b, b).error(), errc::invalid_argument);
}

TEST(Mixer, WhisperFromASelectedTalkerIsHeardOnce) {
  Harness h;
  auto a = h.add(test::sine(440, -20.0, kRate, kSamples));
  auto b = h.add(std::vector<std::int16_t>(kSamples, 0));
  ASSERT_TRUE(h.mixer.add_whisper(a, b));
  h.run(kFrames);
  EXPECT_NEAR(test::tone_level_dbfs(h.out[b], 440, kRate), -20.0, 0.5);
}

TEST(Mixer, PerListenerSourceGainAndListenGain) {
  Harness h;
  auto a = h.add(test::sine(440, -20.0, kRate, kSamples));
  auto x = h.add(std::vector<std::int16_t>(kSamples, 0));
  auto y = h.add(std::vector<std::int16_t>(kSamples, 0));
  auto z = h.add(std::vector<std::int16_t>(kSamples, 0));
  ASSERT_TRUE(h.mixer.set_source_gain(x, a, -20.0f));
  ASSERT_TRUE(h.mixer.set_state(z, {.listen_gain_db = -6.0f}));
  h.run(kFrames);
  EXPECT_NEAR(test::tone_level_dbfs(h.out[x], 440, kRate), -40.0, 0.5);
  EXPECT_NEAR(test::tone_level_dbfs(h.out[y], 440, kRate), -20.0, 0.5);
  EXPECT_NEAR(test::tone_level_dbfs(h.out[z], 440, kRate), -26.0, 0.5);
}

TEST(Mixer, TopNPicksTheLoudestWithHysteresis) {
  MixerConfig cfg;
  cfg.top_n = 4;
  Harness h(cfg);
  std::vector<LegId> ids;
  const double levels[] = {-35, -10, -30, -15, -25, -20};
  for (int i = 0; i < 6; ++i) ids.push_back(h.add(test::sine(300 + 150 * i, levels[i], kRate, kSamples)));
  h.run(1);
  std::vector<LegId> sel(h.mixer.selected_talkers().begin(), h.mixer.selected_talkers().end());
  std::sort(sel.begin(), sel.end());
  EXPECT_EQ(sel, (std::vector<LegId>{ids[1], ids[3], ids[4], ids[5]}));
  // Silent listeners never get a talker's noise: the -35 and -30 legs are not summed.
  auto listener = h.add(std::vector<std::int16_t>(kSamples, 0));
  h.run(1);
  EXPECT_LT(test::tone_level_dbfs(h.out[listener], 300, kRate), -90.0);

  // A newcomer only 1 dB above the quietest selected one does not displace it...
  Mixer& m = h.mixer;
  m.set_voice(ids[0], true, -24.0f);
  m.mix();
  EXPECT_FALSE(m.is_selected(ids[0]));
  // ...one clearly louder does, within the same frame.
  m.set_voice(ids[0], true, -5.0f);
  m.mix();
  EXPECT_TRUE(m.is_selected(ids[0]));
  EXPECT_FALSE(m.is_selected(ids[4]));  // the quietest (-25) made room
}

TEST(Mixer, ANewTalkerEntersWithinOneFrame) {
  Mixer m({});
  auto a = *m.add_leg();
  auto b = *m.add_leg();
  m.mix();
  EXPECT_FALSE(m.is_selected(a));
  m.set_voice(a, true, -30.0f);
  m.mix();
  EXPECT_TRUE(m.is_selected(a));
  EXPECT_EQ(m.output_group(b), kSharedGroup);
  m.set_voice(a, false, -30.0f);
  m.mix();
  EXPECT_FALSE(m.is_selected(a));
}

TEST(Mixer, TenFullScaleTalkersNeverWrapOrClip) {
  MixerConfig cfg;
  cfg.top_n = 10;
  Harness h(cfg);
  std::vector<LegId> ids;
  for (int i = 0; i < 10; ++i) ids.push_back(h.add(test::sine(200 + 97 * i, -3.0103, kRate, kSamples)));
  auto listener = h.add(std::vector<std::int16_t>(kSamples, 0));
  h.run(kFrames);
  for (auto& [id, o] : h.out) {
    int peak = audio::peak_abs(o);
    EXPECT_LE(peak, 29205) << "leg " << id;
    EXPECT_EQ(std::count_if(o.begin(), o.end(), [](std::int16_t s) { return s == 32767 || s == -32768; }), 0);
  }
  // Not wrapped: the listener's output still correlates with the true sum.
  std::vector<double> sum(kSamples, 0.0);
  for (LegId id : ids)
    for (std::size_t i = 0; i < kSamples; ++i) sum[i] += h.in[id][i];
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < kSamples; ++i) {
    ab += sum[i] * h.out[listener][i];
    aa += sum[i] * sum[i];
    bb += double(h.out[listener][i]) * h.out[listener][i];
  }
  EXPECT_GT(ab / std::sqrt(aa * bb), 0.9);
}

TEST(Mixer, NonTalkersShareOneOutput) {
  Harness h;
  h.add(test::sine(440, -20.0, kRate, kSamples));
  std::vector<LegId> quiet;
  for (int i = 0; i < 20; ++i) quiet.push_back(h.add(std::vector<std::int16_t>(kSamples, 0)));
  h.run(3);
  for (LegId id : quiet) {
    EXPECT_EQ(h.mixer.output_group(id), kSharedGroup);
    EXPECT_EQ(h.mixer.output(id).data(), h.mixer.shared_output().data());
  }
}

TEST(Mixer, MixingAllocatesNothing) {
  MixerConfig cfg;
  cfg.max_legs = 200;
  Harness h(cfg);
  for (int i = 0; i < 8; ++i) h.add(test::speech_like(-20.0 - i, kRate, kSamples, i + 1));
  for (int i = 0; i < 150; ++i) h.add(std::vector<std::int16_t>(kSamples, 0));
  ASSERT_TRUE(h.mixer.add_whisper(3, 100));
  ASSERT_TRUE(h.mixer.set_source_gain(101, 0, -10.0f));
  h.run(5);  // warm-up
  test::AllocationScope scope;
  for (int t = 0; t < 40; ++t) {
    for (auto& [id, sig] : h.in) h.mixer.set_voice(id, id < 8, -20.0f - static_cast<float>(id));
    h.mixer.mix();
  }
  EXPECT_EQ(scope.count(), 0u);
}

TEST(Mixer, CapacityAndBadArgumentsAreErrors) {
  MixerConfig cfg;
  cfg.max_legs = 2;
  Mixer m(cfg);
  ASSERT_TRUE(m.add_leg());
  auto b = m.add_leg();
  ASSERT_TRUE(b);
  EXPECT_EQ(m.add_leg().error(), errc::capacity_exceeded);
  ASSERT_TRUE(m.remove_leg(*b));
  EXPECT_EQ(m.remove_leg(*b).error(), errc::not_found);
  EXPECT_EQ(m.set_state(0, {.talk_gain_db = 1e9f}).error(), errc::invalid_argument);
  MixerConfig bad;
  bad.sample_rate_hz = 44100;
  try {
    Mixer x(bad);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("44100"), std::string::npos);
  }
}

}  // namespace
}  // namespace libconf::mix
