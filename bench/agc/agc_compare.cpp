// agc_compare: libconf::dsp::Agc side by side with SpeexDSP's AGC on the same
// signals. Prints a Markdown table (convergence time to within 2 dB of the
// target, steady-state level error, noise floor raised, clipped samples) and
// the cost per frame of both, measured in the same run.
//
//   agc_compare [--rate 8000] [--frame-ms 20] [--no-espeak]
//
// Signals: tests/support speech_like() (synthetic voiced speech, ~4 syllables
// per second), white and pink noise, and, when espeak-ng and sox are on the
// PATH, real synthetic speech generated now (two voices) and resampled to
// the rate under test.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "bench/agc/speex_agc.hpp"
#include "libconf/audio/level.hpp"
#include "libconf/dsp/agc.hpp"
#include "support/agc_signals.hpp"
#include "support/signals.hpp"

namespace {

using Signal = std::vector<std::int16_t>;
using libconf::test::concat;

constexpr double kTarget = -20.0;
constexpr int kMaxGainDb = 24;

struct Options {
  int rate_hz = 8000;
  int frame_ms = 20;
  bool espeak = true;
};

struct Segment {
  std::size_t begin;
  std::size_t end;
};

/// A processor: turns an input signal into an output signal, frame by frame.
using Processor = std::function<Signal(const Signal&)>;

Processor libconf_agc(const Options& o) {
  return [o](const Signal& in) {
    libconf::dsp::AgcConfig c;
    c.sample_rate_hz = o.rate_hz;
    c.frame_samples = static_cast<std::size_t>(o.rate_hz / 1000 * o.frame_ms);
    c.target_level_dbfs = kTarget;
    c.max_gain_db = kMaxGainDb;
    libconf::dsp::Agc agc(c);
    Signal out = in;
    for (std::size_t i = 0; i + c.frame_samples <= out.size(); i += c.frame_samples)
      agc.process(std::span<std::int16_t>(out).subspan(i, c.frame_samples));
    return out;
  };
}

Processor speex_agc(const Options& o, double level_setting_dbfs) {
  return [o, level_setting_dbfs](const Signal& in) {
    const std::size_t n = static_cast<std::size_t>(o.rate_hz / 1000 * o.frame_ms);
    libconf::bench::SpeexAgc agc(o.rate_hz, n, level_setting_dbfs, kMaxGainDb);
    Signal out = in;
    for (std::size_t i = 0; i + n <= out.size(); i += n) agc.process(std::span<std::int16_t>(out).subspan(i, n));
    return out;
  };
}

/// Real synthetic speech from espeak-ng, resampled by sox to rate_hz; empty
/// if either tool is missing. Scaled so its active level is level_dbfs.
Signal espeak_speech(int rate_hz, double seconds, double level_dbfs) {
  const char* texts[] = {
      "Good morning everyone, thank you for joining the weekly project call.",
      "Before we start, could the people who dialed in from the office please mute their lines.",
      "The first item today is the release schedule, and the second is the budget for next quarter.",
      "I think we should move the deadline by one week, because testing took longer than planned.",
  };
  const char* voices[] = {"en-us", "en+f3"};
  Signal out;
  for (int i = 0; out.size() < static_cast<std::size_t>(seconds * rate_hz); ++i) {
    const std::string cmd = std::string("espeak-ng -v ") + voices[i % 2] + " -s 160 --stdout \"" + texts[i % 4] +
                            "\" 2>/dev/null | sox -q -t wav - -t raw -r " + std::to_string(rate_hz) +
                            " -e signed -b 16 -c 1 - 2>/dev/null";
    FILE* pipe = popen(cmd.c_str(), "r");
    if (!pipe) return {};
    std::int16_t buf[4096];
    std::size_t got = 0;
    std::size_t total = 0;
    while ((got = std::fread(buf, sizeof(std::int16_t), 4096, pipe)) > 0) {
      out.insert(out.end(), buf, buf + got);
      total += got;
    }
    pclose(pipe);
    if (total == 0) return {};
    out.insert(out.end(), static_cast<std::size_t>(rate_hz) / 4, 0);  // a pause between sentences
  }
  out.resize(static_cast<std::size_t>(seconds * rate_hz));
  const auto mask = libconf::test::active_blocks(out, rate_hz);
  const double active = libconf::test::masked_level_dbfs(out, rate_hz, mask, 0, out.size());
  const double g = std::pow(10.0, (level_dbfs - active) / 20.0);
  for (auto& s : out) s = static_cast<std::int16_t>(std::clamp(std::lround(s * g), -32768L, 32767L));
  return out;
}

/// Steady-state active level of a processor's output on 12 s of speech_like
/// at -30 dBFS (the last 6 s).
double steady_level(const Processor& p, int rate_hz) {
  const auto x = libconf::test::speech_like(-30.0, rate_hz, static_cast<std::size_t>(rate_hz) * 12, 99);
  const auto mask = libconf::test::active_blocks(x, rate_hz, 60.0, -70.0);
  return libconf::test::masked_level_dbfs(p(x), rate_hz, mask, x.size() / 2, x.size());
}

std::size_t clipped(const Signal& x) {
  return static_cast<std::size_t>(std::count_if(x.begin(), x.end(), [](std::int16_t s) {
    return s >= 32767 || s <= -32768;
  }));
}

std::string fmt(double v, const char* f = "%.1f") {
  char b[32];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

/// One speech scenario: per segment, convergence time and steady error
/// (active level over the segment's last 40 % − target).
void speech_row(const char* name, const Signal& clean, const Signal& input, const std::vector<Segment>& segments,
                const Processor& ours, const Processor& theirs, int rate_hz, int window_ms = 500) {
  const auto mask = libconf::test::active_blocks(clean, rate_hz, 60.0, -70.0);
  const Signal a = ours(input);
  const Signal b = theirs(input);
  std::string conv_a, conv_b, err_a, err_b;
  for (std::size_t k = 0; k < segments.size(); ++k) {
    const auto [begin, end] = segments[k];
    const std::size_t steady = begin + (end - begin) * 6 / 10;
    const char* sep = k ? " / " : "";
    const double ta = libconf::test::convergence_time_s(a, rate_hz, mask, begin, end, kTarget, 2.0, window_ms);
    const double tb = libconf::test::convergence_time_s(b, rate_hz, mask, begin, end, kTarget, 2.0, window_ms);
    conv_a += sep + (ta < 0 ? std::string("never") : fmt(ta, "%.2f"));
    conv_b += sep + (tb < 0 ? std::string("never") : fmt(tb, "%.2f"));
    err_a += sep + fmt(libconf::test::masked_level_dbfs(a, rate_hz, mask, steady, end) - kTarget, "%+.1f");
    err_b += sep + fmt(libconf::test::masked_level_dbfs(b, rate_hz, mask, steady, end) - kTarget, "%+.1f");
  }
  std::printf("| %s | %s | %s | %s | %s | – | – | %zu | %zu |\n", name, conv_a.c_str(), conv_b.c_str(), err_a.c_str(),
              err_b.c_str(), clipped(a), clipped(b));
}

void noise_row(const char* name, const Signal& noise, const Processor& ours, const Processor& theirs) {
  const Signal a = ours(noise);
  const Signal b = theirs(noise);
  const std::size_t half = noise.size() / 2;  // steady state: the second half
  auto lvl = [&](const Signal& x) { return libconf::audio::rms_dbfs(std::span<const std::int16_t>(x).subspan(half)); };
  std::printf("| %s | – | – | – | – | %+.1f | %+.1f | %zu | %zu |\n", name, lvl(a) - lvl(noise), lvl(b) - lvl(noise),
              clipped(a), clipped(b));
}

double ns_per_frame(const Processor& p, const Signal& x, std::size_t frames) {
  // The processor closure includes setup; time a long signal so setup is < 1 %.
  const auto t0 = std::chrono::steady_clock::now();
  const Signal out = p(x);
  const auto t1 = std::chrono::steady_clock::now();
  volatile std::int16_t sink = out[out.size() / 2];
  (void)sink;
  return std::chrono::duration<double, std::nano>(t1 - t0).count() / static_cast<double>(frames);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--rate") && i + 1 < argc) o.rate_hz = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--frame-ms") && i + 1 < argc) o.frame_ms = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--no-espeak")) o.espeak = false;
    else {
      std::fprintf(stderr, "usage: %s [--rate HZ] [--frame-ms MS] [--no-espeak]\n", argv[0]);
      return 2;
    }
  }
  const int r = o.rate_hz;
  const std::size_t s = static_cast<std::size_t>(r);
  Processor ours, theirs;
  try {
    ours = libconf_agc(o);
    ours(Signal(s / 1000 * static_cast<std::size_t>(o.frame_ms), 0));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "agc_compare: %s\n", e.what());
    return 2;
  }
  // Speex's AGC level is a loudness of its own, not RMS: calibrate its
  // setting on a separate signal so both aim at the same measured level.
  double speex_setting = kTarget;
  const double speex_nominal = steady_level(speex_agc(o, speex_setting), r);
  double speex_reached = speex_nominal;
  for (int it = 0; it < 4 && std::abs(speex_reached - kTarget) > 0.2; ++it) {
    speex_setting += kTarget - speex_reached;
    speex_reached = steady_level(speex_agc(o, speex_setting), r);
  }
  theirs = speex_agc(o, speex_setting);

  std::printf("AGC comparison at %d Hz, %d ms frames; target %.0f dBFS, max gain %d dB.\n", r, o.frame_ms, kTarget,
              kMaxGainDb);
  std::printf("libconf: defaults (10 dB/s slew, -1 dB peak ceiling). SpeexDSP preprocess: AGC only (denoise and\n"
              "dereverb off), +12/-40 dB/s defaults. Speex set to the RMS of %.0f dBFS settles at %.1f dBFS on speech,\n"
              "so its setting is calibrated to %.1f dBFS (reaches %.1f dBFS) for the columns below.\n"
              "Convergence: end of the first window (500 ms; 2 s for espeak, whose own level varies ±3 dB over 1 s) after which every window that is\n"
              "half active speech stays within 2 dB of target. Steady error: active level over the last 40 %%.\n\n",
              kTarget, speex_nominal, speex_setting, speex_reached);
  std::printf("| signal | conv. s libconf | conv. s speex | steady err dB libconf | steady err dB speex "
              "| noise raised dB libconf | noise raised dB speex | clipped libconf | clipped speex |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");

  const std::size_t len = 10 * s;
  {
    const auto x = libconf::test::speech_like(-40.0, r, len, 1);
    speech_row("quiet talker -40 dBFS (speech_like)", x, x, {{0, len}}, ours, theirs, r);
  }
  {
    const auto x = libconf::test::speech_like(-6.0, r, len, 2);
    speech_row("loud talker -6 dBFS (speech_like)", x, x, {{0, len}}, ours, theirs, r);
  }
  {
    const std::size_t seg = 8 * s;
    auto x = concat(libconf::test::speech_like(-35.0, r, seg, 3), libconf::test::speech_like(-10.0, r, seg, 4));
    x = concat(x, libconf::test::speech_like(-30.0, r, seg, 5));
    speech_row("steps -35/-10/-30 dBFS, 8 s each", x, x, {{0, seg}, {seg, 2 * seg}, {2 * seg, 3 * seg}}, ours, theirs,
               r);
  }
  {
    const auto clean = libconf::test::talk_spurts(-35.0, r, len, 2000, 1000, 6);
    auto x = clean;
    libconf::test::mix_into(x, libconf::test::white_noise(-60.0, len, 9));
    speech_row("talk spurts -35 dBFS + white noise -60", clean, x, {{0, len}}, ours, theirs, r);
  }
  if (o.espeak) {
    const auto quiet = espeak_speech(r, 12.0, -40.0);
    if (quiet.empty()) {
      std::printf("| (espeak-ng or sox not found: espeak rows skipped) |||||||||\n");
    } else {
      const std::size_t n = quiet.size();
      speech_row("espeak-ng quiet -40 dBFS", quiet, quiet, {{0, n}}, ours, theirs, r, 2000);
      const auto loud = espeak_speech(r, 12.0, -6.0);
      speech_row("espeak-ng loud -6 dBFS", loud, loud, {{0, n}}, ours, theirs, r, 2000);
      auto noisy = quiet;
      libconf::test::mix_into(noisy, libconf::test::pink_noise(-60.0, n, 10));
      speech_row("espeak-ng -40 dBFS + pink noise -60", quiet, noisy, {{0, n}}, ours, theirs, r, 2000);
    }
  }
  noise_row("white noise -60 dBFS", libconf::test::white_noise(-60.0, len, 11), ours, theirs);
  noise_row("pink noise -60 dBFS", libconf::test::pink_noise(-60.0, len, 12), ours, theirs);
  noise_row("white noise -45 dBFS", libconf::test::white_noise(-45.0, len, 13), ours, theirs);
  noise_row("pink noise -45 dBFS", libconf::test::pink_noise(-45.0, len, 14), ours, theirs);
  {
    // Silence, then noise: what a call whose first packets are missing looks like.
    const auto x = concat(Signal(s, 0), libconf::test::white_noise(-45.0, len, 15));
    noise_row("1 s silence, then white noise -45", x, ours, theirs);
  }

  // Cost per frame, both measured now on the same signal (speech at -30 dBFS).
  const std::size_t frame = s / 1000 * static_cast<std::size_t>(o.frame_ms);
  const auto x = libconf::test::speech_like(-30.0, r, 60 * s, 7);
  const std::size_t frames = x.size() / frame;
  double best_a = 1e30, best_b = 1e30;
  for (int rep = 0; rep < 3; ++rep) {
    best_a = std::min(best_a, ns_per_frame(ours, x, frames));
    best_b = std::min(best_b, ns_per_frame(theirs, x, frames));
  }
  std::printf("\nCost per %d ms frame at %d Hz (best of 3, 60 s of speech): libconf %.0f ns, speex %.0f ns, "
              "ratio libconf/speex %.2f\n",
              o.frame_ms, r, best_a, best_b, best_a / best_b);
  return 0;
}
