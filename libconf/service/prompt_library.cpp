#include "libconf/service/prompt_library.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "libconf/dsp/tone_generator.hpp"
#include "libconf/error.hpp"

namespace libconf::service {

namespace {

// Built-in prompts are tones at -16 dBm0 (about -22 dBFS): clearly audible,
// far from clipping when a room adds them to talkers.
constexpr double kFallbackLevelDbm0 = -16.0;
constexpr int kPromptMs = 600;  // long enough to hear and to measure by pitch
constexpr int kShortMs = 200;   // join/leave tones, beeps

struct Known {
  std::string_view id;
  double hz;
  int ms;
};
// Distinct pitches, below the 1200 Hz where the stories' talkers start.
constexpr std::array kKnown{
    Known{"welcome", 500, kPromptMs},        Known{"enter_room", 550, kPromptMs},
    Known{"enter_pin", 600, kPromptMs},      Known{"pin_wrong", 650, kPromptMs},
    Known{"joining", 700, kPromptMs},        Known{"to_operator", 750, kPromptMs},
    Known{"room_unknown", 800, kPromptMs},   Known{"only_participant", 850, kPromptMs},
    Known{"join_tone", 900, kShortMs},       Known{"leave_tone", 950, kShortMs},
    Known{"beep", 1000, kShortMs},           Known{"enter_number", 1050, kPromptMs},
    Known{"dialing", 1100, kPromptMs},       Known{"wait_for_moderator", 1150, kPromptMs},
    Known{"say_name", 450, kPromptMs},       Known{"operator_alert", 400, kPromptMs},
};

void append_tone(std::vector<std::int16_t>& out, int rate, double hz, int ms) {
  dsp::ToneSpec spec;
  spec.frequencies_hz = {hz, 0.0};
  spec.level_dbm0 = kFallbackLevelDbm0;
  dsp::ToneGenerator gen(rate, spec);
  const std::size_t n = static_cast<std::size_t>(rate) * static_cast<std::size_t>(ms) / 1000;
  const std::size_t at = out.size();
  out.resize(at + n);
  gen.generate(std::span<std::int16_t>(out).subspan(at));
}

void append_silence(std::vector<std::int16_t>& out, int rate, int ms) {
  out.resize(out.size() + static_cast<std::size_t>(rate) * static_cast<std::size_t>(ms) / 1000, 0);
}

}  // namespace

PromptLibrary::PromptLibrary(int sample_rate_hz) : rate_(sample_rate_hz) {
  if (rate_ < 8000 || rate_ > 48000)
    throw Error(errc::unsupported_sample_rate, "PromptLibrary: sample rate " + std::to_string(rate_) + " Hz");
}

void PromptLibrary::set(const std::string& id, engine::PromptPtr prompt) {
  if (id.empty()) throw Error(errc::invalid_argument, "PromptLibrary::set: empty prompt id");
  if (!prompt || prompt->samples.empty())
    throw Error(errc::invalid_argument, "PromptLibrary::set: prompt '" + id + "' is empty");
  recorded_[id] = std::move(prompt);
}

bool PromptLibrary::has_recording(std::string_view id) const noexcept { return recorded_.find(id) != recorded_.end(); }

double PromptLibrary::fallback_frequency_hz(std::string_view id) noexcept {
  for (const Known& k : kKnown)
    if (k.id == id) return k.hz;
  if (id == "music_on_hold") return 440.0;
  std::uint32_t h = 2166136261u;  // FNV-1a: a stable pitch for any other id
  for (char c : id) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return 300.0 + 10.0 * static_cast<double>(h % 40);  // 300..690 Hz
}

engine::PromptPtr PromptLibrary::get(std::string_view id) const {
  if (auto it = recorded_.find(id); it != recorded_.end()) return it->second;
  if (auto it = fallback_.find(id); it != fallback_.end()) return it->second;
  auto p = std::make_shared<engine::Prompt>();
  p->sample_rate_hz = rate_;
  if (id == "music_on_hold") {
    // A slow two-note figure, 2 s per loop: 440 Hz then 660 Hz, with breaths.
    append_tone(p->samples, rate_, 440.0, 900);
    append_silence(p->samples, rate_, 100);
    append_tone(p->samples, rate_, 660.0, 900);
    append_silence(p->samples, rate_, 100);
  } else {
    int ms = kPromptMs;
    for (const Known& k : kKnown)
      if (k.id == id) ms = k.ms;
    append_tone(p->samples, rate_, fallback_frequency_hz(id), ms);
    append_silence(p->samples, rate_, 100);
  }
  engine::PromptPtr ptr = std::move(p);
  fallback_.emplace(std::string(id), ptr);
  return ptr;
}

engine::PromptPtr PromptLibrary::beeps(int n) const {
  n = std::clamp(n, 1, 20);
  auto p = std::make_shared<engine::Prompt>();
  p->sample_rate_hz = rate_;
  for (int i = 0; i < n; ++i) {
    append_tone(p->samples, rate_, fallback_frequency_hz("beep"), 150);
    append_silence(p->samples, rate_, 150);
  }
  return p;
}

}  // namespace libconf::service
