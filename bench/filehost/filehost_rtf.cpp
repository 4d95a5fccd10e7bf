// Real-time factor of the file host (confmix's runner) on two workloads:
//   (a) 100 rooms x 10 G.711 participants, 2 talking per room
//   (b) one 48 kHz Opus room of 500 participants, 4 talking
// This includes the simulated phones (each phone encodes its input and decodes
// what it hears), so codec work is about double the bridge's alone; the
// bridge-only figures are in bench/engine.
//   build/release/bench/filehost/filehost_rtf [seconds_a] [seconds_b]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "libconf/scenario/audio_file.hpp"
#include "libconf/scenario/runner.hpp"
#include "support/signals.hpp"

using namespace libconf;

namespace {

double run(const scenario::Scenario& s, const std::filesystem::path& out, double media_s, std::size_t legs,
           const char* label) {
  const auto t0 = std::chrono::steady_clock::now();
  scenario::run_scenario(s, out);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double rtf = media_s / wall;
  std::printf("%-40s %6.1f s media in %6.2f s: %7.2fx real time, %8.0f participants per core in real time\n", label,
              media_s, wall, rtf, rtf * static_cast<double>(legs));
  return rtf;
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds_a = argc > 1 ? std::atof(argv[1]) : 10.0;
  const double seconds_b = argc > 2 ? std::atof(argv[2]) : 2.0;
  const auto dir = std::filesystem::temp_directory_path() / "libconf_filehost_rtf";
  std::filesystem::create_directories(dir);
  scenario::write_wav(dir / "talk8k.wav", test::speech_like(-20, 8000, 8000 * 30, 1), 8000);
  scenario::write_wav(dir / "talk48k.wav", test::speech_like(-20, 48000, 48000 * 10, 2), 48000);

  scenario::Scenario a;
  a.source = "rtf-a";
  a.duration_s = seconds_a;
  for (int r = 0; r < 100; ++r) {
    a.rooms.push_back({"room" + std::to_string(r), 8000, 4, 16});
    for (int p = 0; p < 10; ++p) {
      scenario::ParticipantSpec ps;
      ps.name = "r" + std::to_string(r) + "p" + std::to_string(p);
      ps.room = a.rooms.back().name;
      ps.codec = "PCMU";
      if (p < 2) ps.input = dir / "talk8k.wav";
      ps.input_start_s = 0;
      a.participants.push_back(ps);
    }
  }
  run(a, dir / "out-a", seconds_a, 1000, "(a) 100 rooms x 10 G.711");

  scenario::Scenario b;
  b.source = "rtf-b";
  b.duration_s = seconds_b;
  b.rooms.push_back({"big", 48000, 4, 512});
  for (int p = 0; p < 500; ++p) {
    scenario::ParticipantSpec ps;
    ps.name = "p" + std::to_string(p);
    ps.room = "big";
    ps.codec = "opus";
    if (p < 4) ps.input = dir / "talk48k.wav";
    ps.input_start_s = 0;
    b.participants.push_back(ps);
  }
  run(b, dir / "out-b", seconds_b, 500, "(b) one 48 kHz Opus room of 500");
  std::filesystem::remove_all(dir);
  return 0;
}
