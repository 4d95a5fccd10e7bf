// confmix — the file host: renders a conference scenario (JSON) through the
// libconf engine on a virtual clock and writes what every participant heard.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "libconf/error.hpp"
#include "libconf/scenario/runner.hpp"
#include "libconf/scenario/scenario.hpp"
#include "libconf/scenario/story.hpp"

namespace {

constexpr const char* kHelp = R"(confmix — render a conference scenario with the libconf engine

Usage:
  confmix SCENARIO.json [-o OUT_DIR] [--quiet]
  confmix --story STORY.json [-o OUT_DIR] [--quiet]
  confmix --help | --version

The scenario (JSON; schema in docs/scenario.md) lists rooms, participants with
audio inputs (WAV or any format libsndfile reads), codecs, join/leave times and a
timeline of actions (mute, unmute, deaf, undeaf, whisper, stop_whisper,
listen_in, stop_listen_in, set_gain, source_gain, move, kick, dtmf).
The engine runs on a virtual clock, as fast as the CPU allows.

Output (OUT_DIR, default: ./confmix-out/<scenario name>):
  <participant>.wav  exactly what the participant heard, after its codec
  events.jsonl       every event and action, one JSON object per line
  summary.json       per participant: talk time, DTMF digits, packets, levels
The same scenario always gives byte-identical outputs.

A story (--story; schema in docs/service.md) is a whole conference service on
the file host: callers dial DIDs, hear IVR prompts, type room numbers and PINs,
wait in the operator queue, get invited by dial-out; an operator acts on a
timeline. It also writes cdr.csv, cdr.jsonl and moderators.csv.

Options:
  -s, --story     the file is a story, not a scenario
  -o, --out DIR   output folder (created if missing)
  -q, --quiet     no progress bar, no summary table
  -h, --help      this text
  -V, --version   the libconf version confmix was built from

Examples:
  confmix examples/confmix/demo/demo.json
  confmix examples/confmix/demo/demo.json -o /tmp/demo && aplay /tmp/demo/alice.wav
  confmix my-room.json -q -o out/ && jq -c 'select(.event=="talking_started")' out/events.jsonl
  confmix --story examples/confmix/stories/pin_entry.json -o /tmp/pin && cat /tmp/pin/cdr.csv
)";

void progress_bar(double fraction) {
  const int width = 40;
  const int filled = static_cast<int>(fraction * width + 0.5);
  std::fprintf(stderr, "\r[%.*s%*s] %3d%%", filled, "########################################", width - filled, "",
               static_cast<int>(fraction * 100 + 0.5));
  if (fraction >= 1.0) std::fputc('\n', stderr);
  std::fflush(stderr);
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path scenario_path, out_dir;
  bool quiet = false;
  bool story = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::cout << kHelp;
      return 0;
    } else if (arg == "-V" || arg == "--version") {
      std::cout << "confmix (libconf) " << LIBCONF_VERSION_STRING << '\n';
      return 0;
    } else if (arg == "-s" || arg == "--story") {
      story = true;
    } else if (arg == "-q" || arg == "--quiet") {
      quiet = true;
    } else if (arg == "-o" || arg == "--out") {
      if (i + 1 >= argc) {
        std::cerr << "confmix: " << arg << " needs a folder\n";
        return 2;
      }
      out_dir = argv[++i];
    } else if (!arg.empty() && arg[0] == '-') {
      std::cerr << "confmix: unknown option '" << arg << "' (see confmix --help)\n";
      return 2;
    } else if (scenario_path.empty()) {
      scenario_path = arg;
    } else {
      std::cerr << "confmix: more than one scenario given ('" << scenario_path.string() << "' and '" << arg << "')\n";
      return 2;
    }
  }
  if (scenario_path.empty()) {
    std::cerr << "confmix: no scenario given\n\n" << kHelp;
    return 2;
  }
  if (out_dir.empty()) out_dir = std::filesystem::path("confmix-out") / scenario_path.stem();
  try {
    if (story) {
      const libconf::scenario::Story st = libconf::scenario::load_story(scenario_path);
      const auto result = libconf::scenario::run_story(st, out_dir);
      if (!quiet) {
        std::printf("story: %.1f s, %zu service events, %zu CDR records\n", result.duration_s, result.events.size(),
                    result.cdr.size());
        std::printf("%-14s %-14s %s\n", "phone", "state", "room");
        for (const auto& p : result.phones)
          std::printf("%-14s %-14s %s\n", p.name.c_str(), p.final_state.c_str(), p.room.c_str());
        std::printf("outputs: %s\n", std::filesystem::absolute(out_dir).string().c_str());
      }
      return 0;
    }
    const libconf::scenario::Scenario scenario = libconf::scenario::load_scenario(scenario_path);
    libconf::scenario::RunOptions options;
    if (!quiet && isatty(STDERR_FILENO)) options.progress = progress_bar;
    const auto result = libconf::scenario::run_scenario(scenario, out_dir, options);
    if (!quiet) {
      std::printf("rendered %.1f s of conference in %.2f s (%.0fx real time), %llu events\n", result.duration_s,
                  result.wall_s, result.duration_s / std::max(result.wall_s, 1e-9),
                  static_cast<unsigned long long>(result.events));
      std::printf("%-14s %-6s %8s %7s %10s  %s\n", "participant", "codec", "talk_s", "spurts", "heard_dBFS", "dtmf");
      for (const auto& p : result.participants) {
        const auto* spec = scenario.participant(p.name);
        std::printf("%-14s %-6s %8.1f %7d %10.1f  %s\n", p.name.c_str(), spec->codec.c_str(), p.talk_s, p.talk_spurts,
                    p.heard_level_dbfs, p.digits.c_str());
      }
      std::printf("outputs: %s\n", std::filesystem::absolute(out_dir).string().c_str());
    }
    return 0;
  } catch (const libconf::Error& e) {
    std::cerr << "confmix: " << e.detail() << '\n';
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "confmix: " << e.what() << '\n';
    return 1;
  }
}
