// Each seed story, played end to end with audio and DTMF through the
// ConferenceService on the file host; asserted on signals, events and CDR.
#include <gtest/gtest.h>

#include <cstdlib>

#include "libconf/audio/level.hpp"
#include "libconf/service/prompt_library.hpp"
#include "service/story_support.hpp"

namespace libconf::test {
namespace {

TEST(Stories, PinEntryJoinsTheRoomAndCallersHearEachOther) {
  const auto r = run_example_story("pin_entry.json");
  EXPECT_EQ(r.phone("alice")->final_state, "in_room");
  EXPECT_EQ(r.phone("bob")->final_state, "in_room");
  EXPECT_GT(heard_db(r, "alice", 2200, 7, 11), kHeardDb);  // alice hears bob
  EXPECT_GT(heard_db(r, "bob", 1500, 7, 11), kHeardDb);    // bob hears alice
  EXPECT_LT(heard_db(r, "alice", 1500, 7, 11), kSilentDb); // not herself
  // The menu's prompts reached the caller before the room: welcome (500 Hz) at the start.
  EXPECT_GT(heard_db(r, "alice", 500, 0.55, 0.95), kHeardDb);
  // Alice was first: "you are the only participant" (850 Hz) to her alone,
  // then the join tone (900 Hz) when bob arrived, into the room.
  EXPECT_GT(heard_db(r, "alice", 850, 4.72, 4.86), kHeardDb);
  EXPECT_GT(heard_db(r, "alice", 900, 4.92, 5.06), kHeardDb);
  EXPECT_LT(heard_db(r, "bob", 850, 4.92, 5.2), kSilentDb);
  ASSERT_NE(r.cdr_of("+4917100001"), nullptr);
  const room::LegRecord& cdr = *r.cdr_of("+4917100001");
  EXPECT_EQ(cdr.did, "+493012345600");
  ASSERT_EQ(cdr.segments.size(), 1u);
  EXPECT_EQ(cdr.segments[0].room, "4711");
  EXPECT_GT(cdr.ivr_ms, 3000);  // room number and PIN typed from 1.0 s to 4.0 s
  EXPECT_LT(cdr.ivr_ms, 6000);
  EXPECT_EQ(cdr.queue_ms, 0);
  EXPECT_GT(cdr.conference_ms(), 6000);
}

TEST(Stories, ThreeWrongPinsGoToTheOperatorQueueWithMusicOnHold) {
  const auto r = run_example_story("wrong_pin_operator.json");
  EXPECT_EQ(count_events(r, "pin_rejected"), 3);
  EXPECT_EQ(count_events(r, "queued"), 1);
  // Music on hold (440 Hz / 660 Hz) while queued, not the room.
  EXPECT_GT(heard_db(r, "carol", 440, 10, 12.8), kHeardDb - 6);
  EXPECT_LT(heard_db(r, "carol", 2200, 10, 12.8), kSilentDb);
  // Taken into 4711 at 13 s: hears dave, the music stopped.
  EXPECT_EQ(count_events(r, "taken_from_queue"), 1);
  EXPECT_GT(heard_db(r, "carol", 2200, 13.6, 15.8), kHeardDb);
  EXPECT_LT(heard_db(r, "carol", 440, 13.6, 15.8), kSilentDb);
  EXPECT_GT(heard_db(r, "dave", 1500, 13.8, 15.8), kHeardDb);
  const room::LegRecord* cdr = r.cdr_of("+4917100003");
  ASSERT_NE(cdr, nullptr);
  EXPECT_GT(cdr->queue_ms, 3000);
  EXPECT_LT(cdr->queue_ms, 6000);
  ASSERT_EQ(cdr->segments.size(), 1u);
  EXPECT_EQ(cdr->segments[0].room, "4711");
}

TEST(Stories, SepareeIsPrivateAndTheModeratorBringsThemBack) {
  const auto r = run_example_story("separee.json");
  // Before: everyone hears everyone.
  EXPECT_GT(heard_db(r, "p3", 1500, 4.2, 4.9), kHeardDb);
  // In the séparée: p1 and p2 hear each other, p3 hears neither, they do not hear p3.
  EXPECT_GT(heard_db(r, "p1", 2200, 6, 9.5), kHeardDb);
  EXPECT_GT(heard_db(r, "p2", 1500, 6, 9.5), kHeardDb);
  EXPECT_LT(heard_db(r, "p3", 1500, 6, 9.5), kSilentDb);
  EXPECT_LT(heard_db(r, "p3", 2200, 6, 9.5), kSilentDb);
  EXPECT_LT(heard_db(r, "p1", 3000, 6, 9.5), kSilentDb);
  // Back in the room.
  EXPECT_GT(heard_db(r, "p3", 1500, 11, 13.5), kHeardDb);
  EXPECT_GT(heard_db(r, "p1", 3000, 11, 13.5), kHeardDb);
  const room::LegRecord* cdr = r.cdr_of("+4917100011");
  ASSERT_NE(cdr, nullptr);
  EXPECT_EQ(cdr->billing, room::BillingMode::initiator_pays);
  EXPECT_GT(cdr->side_room_ms(), 4500);
  EXPECT_LT(cdr->side_room_ms(), 5500);
  ASSERT_EQ(cdr->segments.size(), 3u);
  EXPECT_TRUE(cdr->segments[1].side_room);
  EXPECT_EQ(cdr->segments[1].room, "4711/side-1");
}

TEST(Stories, ListenInIsUnheardAndWhisperReachesOnlyTheModerator) {
  const auto r = run_example_story("listen_in.json");
  // Listening in: the operator hears both; neither hears him.
  EXPECT_GT(heard_db(r, "op", 1200, 5, 7.5), kHeardDb);
  EXPECT_GT(heard_db(r, "op", 2200, 5, 7.5), kHeardDb);
  EXPECT_LT(heard_db(r, "mod", 1700, 5, 7.5), kSilentDb);
  EXPECT_LT(heard_db(r, "p1", 1700, 5, 7.5), kSilentDb);
  // Coaching: the moderator hears the operator, the participant still does not.
  EXPECT_GT(heard_db(r, "mod", 1700, 9, 11.5), kHeardDb);
  EXPECT_LT(heard_db(r, "p1", 1700, 9, 11.5), kSilentDb);
  EXPECT_GT(heard_db(r, "p1", 1200, 9, 11.5), kHeardDb);
  EXPECT_EQ(count_events(r, "listen_in_granted"), 1);
  EXPECT_EQ(count_events(r, "whisper_granted"), 1);
  ASSERT_EQ(r.moderator_sessions.size(), 1u);
  EXPECT_EQ(r.moderator_sessions[0].moderator, "+4917100021");
}

TEST(Stories, FullRoomOverflowsThenTheRaisedLimitAdmits) {
  const auto r = run_example_story("overflow.json");
  EXPECT_EQ(r.phone("c")->room, "4711-2");
  EXPECT_EQ(r.phone("d")->room, "4711");
  EXPECT_EQ(count_events(r, "overflow_opened"), 1);
  EXPECT_GT(heard_db(r, "a", 1200, 4, 7.5), kHeardDb);   // d joined a's room
  EXPECT_LT(heard_db(r, "c", 1500, 4, 7.5), kSilentDb);  // c is elsewhere
  EXPECT_LT(heard_db(r, "a", 3000, 4, 7.5), kSilentDb);
  ASSERT_NE(r.cdr_of("+4917100033"), nullptr);
  EXPECT_EQ(r.cdr_of("+4917100033")->segments.at(0).room, "4711-2");
}

TEST(Stories, WaitForModeratorPlaysMusicThenTheRoom) {
  const auto r = run_example_story("wait_for_moderator.json");
  EXPECT_GT(heard_db(r, "p1", 440, 4, 6), kHeardDb - 6);  // music on hold
  EXPECT_GT(heard_db(r, "p1", 1200, 10, 11.4), kHeardDb); // then the moderator
  EXPECT_LT(heard_db(r, "p1", 440, 10, 11.4), kSilentDb);
  EXPECT_GT(heard_db(r, "mod", 2200, 10, 11.4), kHeardDb);
  // The moderator hangs up at 11.5: after the 1 s grace the room ends for p1.
  EXPECT_EQ(r.phone("p1")->final_state, "ended");
  EXPECT_EQ(count_events(r, "room_ended"), 1);
  const room::LegRecord* cdr = r.cdr_of("+4917100041");
  ASSERT_NE(cdr, nullptr);
  EXPECT_GT(cdr->queue_ms, 4500);  // waiting time for billing statistics
  EXPECT_EQ(cdr->segments.back().room, "4711");
  EXPECT_EQ(cdr->exit, room::ExitReason::room_ended);
  EXPECT_NEAR(static_cast<double>(cdr->left_ms), 12500.0, 200.0);
  ASSERT_EQ(r.moderator_sessions.size(), 1u);
  EXPECT_NEAR(static_cast<double>(r.moderator_sessions[0].duration_ms()), 11500.0 - 8700.0, 300.0);
}

TEST(Stories, GroupAssemblyDialsTheGroupAndSkipsTheSilentMember) {
  const auto r = run_example_story("group_assembly.json");
  EXPECT_EQ(count_events(r, "group_room_created"), 1);  // calling again made no second room
  EXPECT_EQ(count_events(r, "dial_started"), 3);        // nobody re-dialled
  EXPECT_EQ(count_events(r, "dial_started", "as +4930111"), 3);  // the creator's caller ID
  EXPECT_EQ(count_events(r, "dial_failed", "+4930444: no answer"), 1);
  EXPECT_EQ(r.phone("m444")->final_state, "never called");
  EXPECT_GT(heard_db(r, "owner", 2200, 7, 10), kHeardDb);
  EXPECT_GT(heard_db(r, "owner", 3000, 7, 10), kHeardDb);
  EXPECT_GT(heard_db(r, "m222", 1500, 7, 10), kHeardDb);
  EXPECT_GT(heard_db(r, "guest", 1500, 13, 18), kHeardDb);  // *100<room> joined it
  EXPECT_EQ(r.phone("guest")->room, "4930111");
  ASSERT_NE(r.cdr_of("+4930222"), nullptr);
  EXPECT_EQ(r.cdr_of("+4930222")->did, "");
}

TEST(Stories, AdHocThreePartyAndToggling) {
  const auto r = run_example_story("adhoc_three_party.json");
  // Three-party: everyone hears both others.
  EXPECT_GT(heard_db(r, "A", 2200, 5, 7.5), kHeardDb);
  EXPECT_GT(heard_db(r, "A", 3000, 5, 7.5), kHeardDb);
  EXPECT_GT(heard_db(r, "B", 3000, 5, 7.5), kHeardDb);
  // B on hold: music for B; A talks to C only.
  EXPECT_GT(heard_db(r, "B", 440, 9, 11.5), kHeardDb - 6);
  EXPECT_LT(heard_db(r, "B", 1500, 9, 11.5), kSilentDb);
  EXPECT_LT(heard_db(r, "A", 2200, 9, 11.5), kSilentDb);
  EXPECT_GT(heard_db(r, "A", 3000, 9, 11.5), kHeardDb);
  // Toggled: C on hold, A talks to B.
  EXPECT_GT(heard_db(r, "A", 2200, 13, 15.5), kHeardDb);
  EXPECT_LT(heard_db(r, "A", 3000, 13, 15.5), kSilentDb);
  EXPECT_GT(heard_db(r, "C", 440, 13, 15.5), kHeardDb - 6);
}

}  // namespace
}  // namespace libconf::test

namespace libconf::test {
namespace {

TEST(Stories, InRoomKeysMuteKickLockAndCount) {
  const auto r = run_example_story("in_room_keys.json");
  // Before the "1" key the moderator hears p1; after it, p1 is muted.
  EXPECT_GT(heard_db(r, "mod", 2200, 3.8, 4.7), kHeardDb);
  EXPECT_LT(heard_db(r, "mod", 2200, 5.6, 7.6), kSilentDb);
  // *4 removed the last caller (p2): the moderator no longer hears 3000 Hz.
  EXPECT_GT(heard_db(r, "mod", 3000, 6, 7.6), kHeardDb);
  EXPECT_LT(heard_db(r, "mod", 3000, 8.8, 10), kSilentDb);
  EXPECT_EQ(r.phone("p2")->final_state, "ended");
  ASSERT_NE(r.cdr_of("+4917100063"), nullptr);
  EXPECT_EQ(r.cdr_of("+4917100063")->exit, room::ExitReason::kicked);
  // *1 locked the room: the late caller with the right PIN waits for the operator.
  EXPECT_EQ(count_events(r, "lock_changed"), 1);
  EXPECT_EQ(r.phone("late")->final_state, "queued");
  EXPECT_EQ(count_events(r, "queued", "room is locked"), 1);
  // 5: p1 hears the count in beeps (1000 Hz), nobody else does.
  EXPECT_GT(heard_db(r, "p1", 1000, 11.2, 11.8), kHeardDb);
  EXPECT_LT(heard_db(r, "mod", 1000, 11.2, 11.8), kSilentDb);
}

}  // namespace
}  // namespace libconf::test

namespace libconf::test {
namespace {

// Custom prompts: spoken recordings made at test time with espeak-ng replace
// the built-in tones (the story loads them with read_audio_file at any rate).
TEST(Stories, SpokenPromptsFromFilesReplaceTheBuiltInTones) {
  if (std::system("command -v espeak-ng >/dev/null 2>&1") != 0) GTEST_SKIP() << "espeak-ng not installed";
  const auto dir = std::filesystem::temp_directory_path() / "libconf_story_prompts";
  std::filesystem::create_directories(dir);
  const std::string cmd = std::string("sh ") + LIBCONF_STORIES_DIR + "/make_prompts.sh " + dir.string();
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::string json = R"({"duration_s": 6,
    "rooms": [{"name": "4711", "pin": "1234"}],
    "routes": [{"number": "100", "menu": "default"}],
    "prompts": {"welcome": "welcome.wav", "enter_room": "enter_room.wav"},
    "calls": [{"name": "alice", "did": "100", "at_s": 0.2}]})";
  const auto story = scenario::parse_story(json, "spoken.json", dir);
  const auto r = scenario::run_story(story, dir / "out");
  const scenario::StoryPhone* p = r.phone("alice");
  ASSERT_NE(p, nullptr);
  const auto welcome = std::span<const std::int16_t>(p->heard).subspan(8000 / 2, 8000);  // 0.5 s .. 1.5 s
  EXPECT_GT(audio::rms_dbfs(welcome), -40.0);  // speech is heard
  EXPECT_LT(heard_db(r, "alice", service::PromptLibrary::fallback_frequency_hz("welcome"), 0.5, 1.5), -45.0);
}

}  // namespace
}  // namespace libconf::test
