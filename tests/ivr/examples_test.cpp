// The shipped example files load, and the built-ins are the same text.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "libconf/ivr/did_router.hpp"
#include "libconf/ivr/key_map.hpp"
#include "libconf/ivr/menu.hpp"

namespace libconf::ivr {
namespace {

std::string example(const std::string& name) { return std::string(LIBCONF_EXAMPLE_MENUS_DIR) + "/" + name; }

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Examples, MenusLoad) {
  for (const char* name : {"default.json", "direct.json", "operator.json"}) {
    Menu m = Menu::load_file(example(name));
    EXPECT_FALSE(m.states().empty()) << name;
    EXPECT_EQ(m.source(), example(name));
  }
}

TEST(Examples, BuiltinsAreTheExampleFiles) {
  EXPECT_EQ(Menu::builtin_default_json(), slurp(example("default.json")));
  EXPECT_EQ(KeyMap::builtin_default_json(), slurp(example("keys.json")));
}

TEST(Examples, DidRoutesLoadAndNameExistingMenus) {
  DidRouter r = DidRouter::load_file(example("dids.json"));
  EXPECT_GT(r.size(), 0u);
  for (const char* number : {"+493012345600", "+493012345601", "+498001234567", "+493012345699", "*100123"}) {
    auto m = r.route(number);
    ASSERT_TRUE(m) << number;
    if (!m->route->menu.empty()) {
      EXPECT_NO_THROW((void)Menu::load_file(example(m->route->menu + ".json"))) << number;
    }
  }
}

}  // namespace
}  // namespace libconf::ivr
