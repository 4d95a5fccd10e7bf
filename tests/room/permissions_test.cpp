#include "libconf/room/permissions.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace libconf::room {

TEST(Permissions, SuperuserMayDoEverything) {
  for (Action a : kAllActions) EXPECT_TRUE(allowed(Role::superuser, a)) << to_string(a);
}

TEST(Permissions, ModeratorSteersButDoesNotAdministrate) {
  for (Action a : {Action::mute_other, Action::kick, Action::move, Action::create_side_room,
                   Action::bring_back, Action::listen_in, Action::lock_room})
    EXPECT_TRUE(allowed(Role::moderator, a)) << to_string(a);
  for (Action a : {Action::set_max_size, Action::create_room, Action::manage_moderators, Action::whisper,
                   Action::take_from_queue})
    EXPECT_FALSE(allowed(Role::moderator, a)) << to_string(a);
}

TEST(Permissions, ListenerNeverSpeaksAndParticipantNeverModerates) {
  EXPECT_FALSE(allowed(Role::listener, Action::speak));
  EXPECT_FALSE(allowed(Role::listener, Action::mute_self));
  EXPECT_TRUE(allowed(Role::listener, Action::join));
  EXPECT_TRUE(allowed(Role::participant, Action::speak));
  for (Action a : {Action::mute_other, Action::kick, Action::move, Action::listen_in, Action::whisper})
    EXPECT_FALSE(allowed(Role::participant, a)) << to_string(a);
}

TEST(Permissions, NamesRoundTrip) {
  for (Action a : kAllActions) EXPECT_EQ(action_from_string(to_string(a)), a);
  for (Role r : kAllRoles) EXPECT_EQ(role_from_string(to_string(r)), r);
  EXPECT_FALSE(action_from_string("drop_table"));
  EXPECT_FALSE(role_from_string("root"));
}

TEST(Permissions, DocTableMatchesCode) {
  std::ifstream in(LIBCONF_SOURCE_DIR "/docs/permissions.md");
  ASSERT_TRUE(in) << "docs/permissions.md is missing";
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  const std::string begin = "<!-- permissions-table:begin -->\n";
  const std::string end = "<!-- permissions-table:end -->";
  const auto b = doc.find(begin);
  const auto e = doc.find(end);
  ASSERT_NE(b, std::string::npos);
  ASSERT_NE(e, std::string::npos);
  const std::string table = doc.substr(b + begin.size(), e - b - begin.size());
  EXPECT_EQ(table, permission_table_markdown())
      << "docs/permissions.md is out of date; paste this between the markers:\n"
      << permission_table_markdown();
}

}  // namespace libconf::room
