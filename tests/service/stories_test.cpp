// Each seed story, played end to end with audio and DTMF through the
// ConferenceService on the file host; asserted on signals, events and CDR.
#include <gtest/gtest.h>

#include <cstdlib>

#include "libconf/audio/level.hpp"
#include "libconf/scenario/audio_file.hpp"
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
  EXPECT_EQ(count_events<room::event::PinRejected>(r), 3);
  EXPECT_EQ(count_events<service::event::Queued>(r), 1);
  // Music on hold (440 Hz / 660 Hz) while queued, not the room.
  EXPECT_GT(heard_db(r, "carol", 440, 10, 12.8), kHeardDb - 6);
  EXPECT_LT(heard_db(r, "carol", 2200, 10, 12.8), kSilentDb);
  // Taken into 4711 at 13 s: hears dave, the music stopped.
  EXPECT_EQ(count_events<service::event::TakenFromQueue>(r), 1);
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
  EXPECT_EQ(count_events<room::event::ListenInGranted>(r), 1);
  EXPECT_EQ(count_events<room::event::WhisperGranted>(r), 1);
  ASSERT_EQ(r.moderator_sessions.size(), 1u);
  EXPECT_EQ(r.moderator_sessions[0].moderator, "+4917100021");
}

TEST(Stories, FullRoomOverflowsThenTheRaisedLimitAdmits) {
  const auto r = run_example_story("overflow.json");
  EXPECT_EQ(r.phone("c")->room, "4711-2");
  EXPECT_EQ(r.phone("d")->room, "4711");
  EXPECT_EQ(count_events<room::event::OverflowOpened>(r), 1);
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
  EXPECT_EQ(count_events<room::event::RoomEnded>(r), 1);
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
  EXPECT_EQ(count_events<service::event::GroupRoomCreated>(r), 1);  // calling again made no second room
  EXPECT_EQ(count_events<service::event::DialStarted>(r), 3);        // nobody re-dialled
  EXPECT_EQ(count_events<service::event::DialStarted>(r, [](const auto& e) { return e.caller_id == "+4930111"; }), 3);  // the creator's caller ID
  EXPECT_EQ(count_events<service::event::DialFailed>(r, [](const auto& e) {
              return e.number == "+4930444" && e.failure.cause == service::DialFailureCause::no_answer;
            }), 1);
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
  EXPECT_EQ(count_events<room::event::LockChanged>(r), 1);
  EXPECT_EQ(r.phone("late")->final_state, "queued");
  EXPECT_EQ(count_events<service::event::Queued>(r, [](const auto& e) { return e.reason == service::QueueReason::room_locked; }), 1);
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

namespace libconf::test {
namespace {

double at_s(const service::ServiceEvent* e) { return e ? static_cast<double>(e->at_ms) / 1000.0 : 0.0; }

// Names recorded in the IVR (RecordName) and announced into the room.
TEST(Stories, RecordedNamesAreAnnouncedOnJoinAndLeave) {
  const auto r = run_example_story("name_announce.json");
  const auto alice = r.phone("alice")->call, bob = r.phone("bob")->call, carol = r.phone("carol")->call;
  // bob said nothing and pressed '#': no name, the join tone alone.
  using service::event::Announced;
  using service::event::NameRecorded;
  EXPECT_NE(find_event<NameRecorded>(r, bob, [](const auto& e) { return e.duration_ms == 0 && e.ended_by == "'#'"; }),
            nullptr);
  EXPECT_NE(find_event<Announced>(r, bob, [](const auto& e) { return e.joined && !e.recorded_name; }), nullptr);
  // alice spoke for 1 s and pressed '#'; carol talked past the 3 s limit.
  const auto* an = find_event<NameRecorded>(r, alice, [](const auto& e) { return e.ended_by == "'#'"; });
  ASSERT_NE(an, nullptr);
  const auto alice_ms = static_cast<int>(an->get<NameRecorded>()->duration_ms);
  EXPECT_GT(alice_ms, 950);
  EXPECT_LT(alice_ms, 1200);
  const auto* cn = find_event<NameRecorded>(r, carol, [](const auto& e) { return e.ended_by == "the time limit"; });
  ASSERT_NE(cn, nullptr);
  EXPECT_GT(cn->get<NameRecorded>()->duration_ms, 2500);
  EXPECT_LE(cn->get<NameRecorded>()->duration_ms, 3000);
  // The room hears alice's recorded voice (1700 Hz) when she joins, then the
  // join tone; live, in her lobby, nobody heard it.
  const auto named_join = [](const Announced& e) { return e.joined && e.recorded_name; };
  const auto* aj = find_event<Announced>(r, alice, named_join);
  ASSERT_NE(aj, nullptr);
  const double t = at_s(aj);
  EXPECT_LT(heard_db(r, "bob", 1700, 5.0, 6.0), kSilentDb);
  EXPECT_GT(heard_db(r, "bob", 1700, t + 0.1, t + 0.9), kHeardDb);
  EXPECT_GT(heard_db(r, "bob", 900, t + 0.06 + alice_ms / 1000.0 + 0.15, t + alice_ms / 1000.0 + 0.35), kHeardDb);
  // carol's name (1900 Hz) at her join, to bob and alice.
  const auto* cj = find_event<Announced>(r, carol, named_join);
  ASSERT_NE(cj, nullptr);
  EXPECT_GT(heard_db(r, "bob", 1900, at_s(cj) + 0.1, at_s(cj) + 2.0), kHeardDb);
  EXPECT_GT(heard_db(r, "alice", 1900, at_s(cj) + 0.1, at_s(cj) + 2.0), kHeardDb);
  // alice hangs up at 13.5: "<alice> has left" to the others.
  const auto* al = find_event<Announced>(r, alice, [](const auto& e) { return !e.joined && e.recorded_name; });
  ASSERT_NE(al, nullptr);
  EXPECT_NEAR(at_s(al), 13.5, 0.05);
  EXPECT_GT(heard_db(r, "carol", 1700, 13.6, 14.3), kHeardDb);
  EXPECT_EQ(r.phone("bob")->final_state, "in_room");
}

// The name the room hears is the caller's own recorded voice: a speech-like
// signal correlates with what the others hear at the join.
TEST(Stories, AnnouncedNameCorrelatesWithTheCallersVoice) {
  const auto dir = std::filesystem::temp_directory_path() / "libconf_story_name_voice";
  std::filesystem::create_directories(dir);
  constexpr int kRate = 8000;
  std::vector<std::int16_t> input(6 * kRate, 0);  // from alice's call start (3.0 s)
  const auto voice = speech_like(-20.0, kRate, kRate, 7);
  std::copy(voice.begin(), voice.end(), input.begin() + 2 * kRate);  // story time 5.0 .. 6.0 s
  scenario::write_wav(dir / "alice.wav", input, kRate);
  const std::string menu = (std::filesystem::path(LIBCONF_STORIES_DIR) / "menus" / "named.json").string();
  const std::string json = R"({"duration_s": 10,
    "menus": {"named": ")" + menu + R"("},
    "rooms": [{"name": "4711", "pin": "1234"}],
    "routes": [{"number": "100", "room": "4711", "menu": "named"}],
    "calls": [
      {"name": "bob", "did": "100", "at_s": 0.2, "dtmf": [{"at_s": 0.4, "digits": "1234#"}, {"at_s": 2.4, "digits": "#"}]},
      {"name": "alice", "did": "100", "at_s": 3.0, "input": "alice.wav",
       "dtmf": [{"at_s": 3.2, "digits": "1234#"}, {"at_s": 6.1, "digits": "#"}]}]})";
  const auto r = scenario::run_story(scenario::parse_story(json, "voice.json", dir), dir / "out");
  const auto* aj = find_event<service::event::Announced>(
      r, r.phone("alice")->call, [](const auto& e) { return e.joined && e.recorded_name; });
  ASSERT_NE(aj, nullptr);
  const scenario::StoryPhone* bob = r.phone("bob");
  const auto from = static_cast<std::size_t>((at_s(aj) - 0.1) * kRate);
  ASSERT_LT(from + 2 * kRate, bob->heard.size());
  const auto heard = std::span<const std::int16_t>(bob->heard).subspan(from, 2 * kRate);
  EXPECT_GT(max_correlation(voice, heard, kRate), 0.5);
  EXPECT_LT(max_correlation(speech_like(-20.0, kRate, kRate, 9), heard, kRate), 0.3);  // another voice does not
}

TEST(Stories, RoomRecordingHasTheMixAndOneTrackPerParticipant) {
  const auto r = run_example_story("room_recording.json");
  EXPECT_EQ(count_events<room::event::ActionDenied>(r, [](const auto& e) { return e.action == room::Action::record; }), 1);  // a participant may not record
  ASSERT_EQ(r.recordings.size(), 1u);
  const scenario::StoryRecording& rec = r.recordings[0];
  EXPECT_EQ(rec.prefix, "weekly");
  EXPECT_EQ(rec.stop_reason, "stopped");
  ASSERT_EQ(rec.track_files.size(), 3u);
  const auto mix = scenario::read_audio_file(rec.mix_file);
  EXPECT_EQ(mix.sample_rate_hz, 16000);
  EXPECT_NEAR(static_cast<double>(mix.samples.size()) / 16000.0, 6.0, 0.1);
  auto level = [](const scenario::AudioBuffer& b, double hz, double from_s, double to_s) {
    const auto a = static_cast<std::size_t>(from_s * b.sample_rate_hz);
    const auto n = static_cast<std::size_t>((to_s - from_s) * b.sample_rate_hz);
    return tone_level_dbfs(std::span<const std::int16_t>(b.samples).subspan(a, n), hz, b.sample_rate_hz);
  };
  // Recording time 0 is story time 2.0 s; c joins at 5.0 s (recording 3.0 s).
  EXPECT_NEAR(level(mix, 1200, 0.5, 2.5), -20.0, 1.5);
  EXPECT_NEAR(level(mix, 2200, 0.5, 2.5), -26.0, 1.5);
  EXPECT_LT(level(mix, 3000, 0.5, 2.5), kSilentDb);
  EXPECT_NEAR(level(mix, 3000, 3.5, 5.5), -20.0, 1.5);
  const auto a = scenario::read_audio_file(rec.track_files.at("a"));
  const auto b = scenario::read_audio_file(rec.track_files.at("b"));
  const auto c = scenario::read_audio_file(rec.track_files.at("c"));
  ASSERT_EQ(a.samples.size(), mix.samples.size());
  EXPECT_NEAR(level(a, 1200, 0.5, 5.5), -20.0, 1.5);
  EXPECT_LT(level(a, 2200, 0.5, 5.5), kSilentDb);
  EXPECT_LT(level(a, 3000, 0.5, 5.5), kSilentDb);
  EXPECT_NEAR(level(b, 2200, 0.5, 5.5), -26.0, 1.5);
  EXPECT_LT(level(b, 1200, 0.5, 5.5), kSilentDb);
  EXPECT_LT(level(b, 3000, 0.5, 5.5), kSilentDb);
  EXPECT_LT(audio::rms_dbfs(std::span<const std::int16_t>(c.samples).subspan(0, 2 * 16000)), -80.0);  // before c joined
  EXPECT_NEAR(level(c, 3000, 3.5, 5.5), -20.0, 1.5);
  EXPECT_LT(level(c, 1200, 3.5, 5.5), kSilentDb);
  EXPECT_EQ(count_events<service::event::RecordingFinished>(r, [](const auto& e) {
              return e.prefix == "weekly" && e.reason == "stopped" && e.tracks == 3;
            }), 1);
}

TEST(Stories, VolumeKeysInviteKeyAndOperatorKey) {
  const auto r = run_example_story("in_room_volume_invite.json");
  // 9: A's talk volume +3 dB, heard by B.
  const double before = heard_db(r, "B", 1500, 1.5, 2.8);
  EXPECT_NEAR(heard_db(r, "B", 1500, 3.6, 4.8) - before, 3.0, 0.5);
  // 4: A hears the room 3 dB quieter.
  const double room_before = heard_db(r, "A", 2200, 3.6, 4.8);
  EXPECT_NEAR(heard_db(r, "A", 2200, 5.6, 6.8) - room_before, -3.0, 0.5);
  EXPECT_EQ(count_events<service::event::VolumesChanged>(r), 2);
  // 8 4930222 #: B invites; the callee answers and joins without PIN.
  EXPECT_EQ(count_events<service::event::DialStarted>(r, [](const auto& e) {
              return e.number == "4930222" && e.caller_id == "+4917100092";
            }), 1);
  EXPECT_EQ(r.phone("m222")->final_state, "in_room");
  EXPECT_EQ(r.phone("m222")->room, "4711");
  EXPECT_GT(heard_db(r, "A", 3000, 11, 13), kHeardDb);
  EXPECT_GT(heard_db(r, "m222", 1500, 11, 13), kHeardDb);
  // 0: the operator's phone hears the alert (400 Hz); B stays in the room.
  EXPECT_EQ(count_events<service::event::OperatorCalled>(r), 1);
  EXPECT_EQ(count_events<service::event::OperatorAlerted>(r, [](const auto& e) { return e.phones == 1; }), 1);
  const double alert_hz = service::PromptLibrary::fallback_frequency_hz("operator_alert");
  EXPECT_LT(heard_db(r, "op", alert_hz, 8.0, 9.8), kSilentDb);
  EXPECT_GT(heard_db(r, "op", alert_hz, 10.2, 10.7), kHeardDb);
  EXPECT_LT(heard_db(r, "A", alert_hz, 10.2, 10.7), kSilentDb);
  EXPECT_EQ(r.phone("B")->final_state, "in_room");
}

}  // namespace
}  // namespace libconf::test

#include <fstream>

#include <boost/json/parse.hpp>

namespace libconf::test {
namespace {

// The PIN 1234 typed in pin_entry.json never leaves the library in clear:
// not in the service's events, not in the story's event log (the engine's
// DTMF lines carry no digit; the service masks those typed into a PIN).
TEST(Stories, PinDigitsAreMaskedInEventsAndTheEventLog) {
  const auto r = run_example_story("pin_entry.json");
  const service::CallId alice = r.phone("alice")->call;
  std::string clear;
  int masked = 0;
  for (const auto& e : r.events)
    if (const auto* d = e.get<service::event::DigitReceived>(); d && e.call == alice) {
      if (d->masked) {
        ++masked;
        EXPECT_EQ(d->digit, '\0');
      } else {
        clear += d->digit;
      }
    }
  EXPECT_EQ(clear, "4711#");  // the room number is no secret
  EXPECT_EQ(masked, 5);       // "1234#"
  std::ifstream log(r.out_dir / "events.jsonl");
  ASSERT_TRUE(log);
  int lines = 0, masked_lines = 0;
  for (std::string line; std::getline(log, line); ++lines) {
    const auto v = boost::json::parse(line).as_object();
    if (v.contains("digit") && v.contains("phone") && v.at("phone").as_string() == "alice") {
      const double t = v.at("t").as_double();
      EXPECT_FALSE(t >= 2.9 && t < 4.2) << "a PIN digit in clear: " << line;
    }
    if (v.contains("masked")) ++masked_lines;
    const bool engine_dtmf = v.contains("event") && (v.at("event").as_string() == "dtmf_started" ||
                                                     v.at("event").as_string() == "dtmf_ended");
    if (engine_dtmf) {
      EXPECT_FALSE(v.contains("digit")) << line;
    }
  }
  EXPECT_GT(lines, 100);
  EXPECT_EQ(masked_lines, 10);  // alice's and bob's five each
}

}  // namespace
}  // namespace libconf::test
