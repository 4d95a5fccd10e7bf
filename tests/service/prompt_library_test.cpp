#include "libconf/service/prompt_library.hpp"

#include <gtest/gtest.h>

#include "support/signals.hpp"

namespace libconf::test {
namespace {

TEST(PromptLibrary, FallbacksAreDistinctAudibleTones) {
  service::PromptLibrary lib(16000);
  for (const char* id : {"welcome", "enter_pin", "pin_wrong", "joining", "to_operator"}) {
    auto p = lib.get(id);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->sample_rate_hz, 16000);
    const double hz = service::PromptLibrary::fallback_frequency_hz(id);
    EXPECT_GT(tone_level_dbfs(p->samples, hz, 16000), -26.0) << id;
    if (std::string(id) != "welcome") {  // each prompt has its own pitch, not welcome's
      EXPECT_LT(tone_level_dbfs(p->samples, service::PromptLibrary::fallback_frequency_hz("welcome"), 16000), -40.0)
          << id;
    }
  }
  EXPECT_NE(service::PromptLibrary::fallback_frequency_hz("welcome"),
            service::PromptLibrary::fallback_frequency_hz("enter_pin"));
  EXPECT_EQ(lib.get("welcome"), lib.get("welcome"));  // cached, one copy
}

TEST(PromptLibrary, MusicOnHoldHasBothNotes) {
  service::PromptLibrary lib(8000);
  auto p = lib.get("music_on_hold");
  EXPECT_GT(tone_level_dbfs(p->samples, 440, 8000), -30.0);
  EXPECT_GT(tone_level_dbfs(p->samples, 660, 8000), -30.0);
}

TEST(PromptLibrary, RecordingsWinAndBadOnesAreRefused) {
  service::PromptLibrary lib(16000);
  auto rec = std::make_shared<engine::Prompt>();
  rec->samples = sine(1234, -20, 8000, 8000);
  rec->sample_rate_hz = 8000;
  lib.set("welcome", rec);
  EXPECT_EQ(lib.get("welcome"), rec);
  EXPECT_TRUE(lib.has_recording("welcome"));
  EXPECT_THROW(lib.set("", rec), Error);
  EXPECT_THROW(lib.set("x", std::make_shared<engine::Prompt>()), Error);
  EXPECT_THROW(service::PromptLibrary(100), Error);
}

TEST(PromptLibrary, BeepsCountAndAreClamped) {
  service::PromptLibrary lib(8000);
  EXPECT_EQ(lib.beeps(3)->samples.size(), 3u * 2400u);  // 150 ms beep + 150 ms gap at 8 kHz
  EXPECT_EQ(lib.beeps(1000)->samples.size(), 20u * 2400u);
}

}  // namespace
}  // namespace libconf::test
