// run_story: one StoryRun (story_run.hpp) set up, played tick by tick, written out.
#include "libconf/scenario/story.hpp"
#include "libconf/scenario/story_run.hpp"

namespace libconf::scenario {

StoryResult run_story(const Story& story, const std::filesystem::path& out_dir) {
  detail::StoryRun run(story, out_dir);
  return run.run();
}

}  // namespace libconf::scenario
