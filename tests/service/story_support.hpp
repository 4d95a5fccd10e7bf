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

inline int count_events(const scenario::StoryResult& r, const std::string& kind, const std::string& detail_part = {}) {
  return static_cast<int>(std::count_if(r.events.begin(), r.events.end(), [&](const service::ServiceEvent& e) {
    return e.kind == kind && (detail_part.empty() || e.detail.find(detail_part) != std::string::npos);
  }));
}

/// Heard clearly / not at all: the talkers send -20 dBFS tones; AGC, mixing and
/// G.711 keep a heard one above -32 dBFS; mix-minus, a séparée or listen-only
/// leave only codec noise far below -45 dBFS.
inline constexpr double kHeardDb = -32.0;
inline constexpr double kSilentDb = -45.0;

}  // namespace libconf::test
