#pragma once
// Helpers for the story tests: run a story from examples/confmix/stories and
// measure what a phone heard in a time window.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "libconf/scenario/story.hpp"
#include "support/signals.hpp"

namespace libconf::test {

inline scenario::StoryResult run_example_story(const std::string& file) {
  const std::filesystem::path path = std::filesystem::path(LIBCONF_STORIES_DIR) / file;
  const auto out = std::filesystem::temp_directory_path() / ("libconf_story_" + path.stem().string());
  return scenario::run_story(scenario::load_story(path), out);
}

/// Level (dBFS) of the tone at hz that `phone` heard between from_s and to_s.
inline double heard_db(const scenario::StoryResult& r, const std::string& phone, double hz, double from_s,
                       double to_s) {
  const scenario::StoryPhone* p = r.phone(phone);
  if (!p) {
    ADD_FAILURE() << "no phone " << phone;
    return 0;
  }
  const auto a = static_cast<std::size_t>(from_s * p->sample_rate_hz);
  const auto b = std::min(p->heard.size(), static_cast<std::size_t>(to_s * p->sample_rate_hz));
  if (a >= b) {
    ADD_FAILURE() << "empty window for " << phone;
    return 0;
  }
  return tone_level_dbfs(std::span<const std::int16_t>(p->heard).subspan(a, b - a), hz, p->sample_rate_hz);
}

/// Any event of the type matches.
struct AnyStoryEvent {
  template <class E>
  bool operator()(const E&) const noexcept {
    return true;
  }
};

/// Events of type E (a service::event or room::event struct) that match pred.
template <class E, class P = AnyStoryEvent>
int count_events(const scenario::StoryResult& r, P pred = {}) {
  return static_cast<int>(std::count_if(r.events.begin(), r.events.end(), [&](const service::ServiceEvent& e) {
    const E* x = e.get<E>();
    return x && pred(*x);
  }));
}

/// The first event of type E for `call` (kNoCall: any) that matches pred, or null.
template <class E, class P = AnyStoryEvent>
const service::ServiceEvent* find_event(const scenario::StoryResult& r, service::CallId call, P pred = {}) {
  for (const auto& e : r.events)
    if (const E* x = e.get<E>(); x && pred(*x) && (call == service::kNoCall || e.call == call)) return &e;
  return nullptr;
}

/// Heard clearly / not at all: the talkers send -20 dBFS tones; AGC, mixing and
/// G.711 keep a heard one above -32 dBFS; mix-minus, a séparée or listen-only
/// leave only codec noise far below -45 dBFS.
inline constexpr double kHeardDb = -32.0;
inline constexpr double kSilentDb = -45.0;

}  // namespace libconf::test
