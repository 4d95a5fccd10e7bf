// The long talk-off run: DTMF detectors over espeak-ng speech (36 voices and
// variants, 10 languages, pitch and speed varied), speech from other
// synthesisers (flite, festival; pitch-shifted copies), recorded music and
// sounds from Debian packages (game music, sound themes) and music-like
// signals, counting false digits for libconf and for spandsp's dtmf_rx on the
// same samples. Audio is generated or converted on first use into the cache
// directory (default: <build>/dtmf_corpus); corpora whose packages are not
// installed are skipped (bench/dtmf/README lines in docs/dsp.md list them).
//
//   dtmf_talkoff [--speech-minutes M] [--synth-minutes M] [--packaged-minutes M]
//                [--music-minutes M] [--cache DIR]
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numbers>
#include <string>

#include "support/dtmf_signals.hpp"

using namespace libconf;

int main(int argc, char** argv) {
  double speech_min = 32.0, music_min = 8.0, synth_min = 0.0, packaged_min = 0.0;
  std::string cache = LIBCONF_DTMF_CORPUS_DIR;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--speech-minutes") speech_min = std::atof(argv[i + 1]);
    else if (a == "--music-minutes") music_min = std::atof(argv[i + 1]);
    else if (a == "--synth-minutes") synth_min = std::atof(argv[i + 1]);
    else if (a == "--packaged-minutes") packaged_min = std::atof(argv[i + 1]);
    else if (a == "--cache") cache = argv[i + 1];
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  const auto speech = test::speech_corpus(8000, speech_min * 60.0, cache);
  const auto music = test::music_corpus(8000, music_min * 60.0, 7);
  const auto synth = test::synth_speech_corpus(8000, synth_min * 60.0, cache);
  const auto packaged = test::packaged_audio_corpus(8000, packaged_min * 60.0, cache);
  if (speech.empty()) {
    std::fprintf(stderr, "no speech: espeak-ng and sox are needed\n");
    return 1;
  }
  struct Tally {
    double seconds = 0;
    int ours = 0, theirs = 0;
  } sp, mu, sy, pk;
  auto run = [](const std::vector<test::CorpusPiece>& corpus, Tally& t, bool verbose) {
    for (const auto& p : corpus) {
      const auto a = test::detect_libconf(p.samples, 8000);
      const auto b = test::detect_spandsp(p.samples);
      t.seconds += p.samples.size() / 8000.0;
      t.ours += static_cast<int>(a.size());
      t.theirs += static_cast<int>(b.size());
      if (verbose && (!a.empty() || !b.empty()))
        std::printf("  %-16s libconf '%s' spandsp '%s'\n", p.name.c_str(), test::digits_of(a).c_str(),
                    test::digits_of(b).c_str());
    }
  };
  run(speech, sp, true);
  run(synth, sy, true);
  run(packaged, pk, true);
  run(music, mu, true);
  std::printf("| corpus | minutes | libconf false digits | spandsp false digits |\n|---|---|---|---|\n");
  std::printf("| speech (espeak-ng, %zu pieces) | %.1f | %d | %d |\n", speech.size(), sp.seconds / 60, sp.ours, sp.theirs);
  std::printf("| speech (flite, festival; %zu pieces incl. pitch-shifted) | %.1f | %d | %d |\n", synth.size(),
              sy.seconds / 60, sy.ours, sy.theirs);
  std::printf("| recorded music and sounds from Debian packages (%zu files) | %.1f | %d | %d |\n", packaged.size(),
              pk.seconds / 60, pk.ours, pk.theirs);
  std::printf("| music-like (chords, sweeps, arpeggios, organ) | %.1f | %d | %d |\n", mu.seconds / 60, mu.ours, mu.theirs);
  const double total_s = sp.seconds + sy.seconds + pk.seconds + mu.seconds;
  std::printf("| total | %.1f | %d | %d |\n", total_s / 60, sp.ours + sy.ours + pk.ours + mu.ours,
              sp.theirs + sy.theirs + pk.theirs + mu.theirs);

  // Known limit, not part of the corpus: two sine glides a decade per 4 s in
  // opposite directions stay within 2.5 % of some DTMF pairs for 34+ ms.
  std::vector<std::int16_t> glide(8000 * 60);
  double pa = 0, pb = 0;
  for (std::size_t i = 0; i < glide.size(); ++i) {
    const double c = std::fmod(i / 8000.0, 4.0) / 4.0;
    pa += 2 * std::numbers::pi * 300.0 * std::pow(10.0, c) / 8000.0;
    pb += 2 * std::numbers::pi * 3000.0 * std::pow(10.0, -0.9 * c) / 8000.0;
    glide[i] = static_cast<std::int16_t>(3000 * std::sin(pa) + 2500 * std::sin(pb));
  }
  std::printf("| (known limit) slow crossing glides, 1 min | 1.0 | %zu | %zu |\n",
              test::detect_libconf(glide, 8000).size(), test::detect_spandsp(glide).size());
  // Targets: no false digit on speech; fewer than spandsp on everything.
  const int ours = sp.ours + sy.ours + pk.ours + mu.ours, theirs = sp.theirs + sy.theirs + pk.theirs + mu.theirs;
  return sp.ours + sy.ours == 0 && (ours < theirs || ours == 0) ? 0 : 1;
}
