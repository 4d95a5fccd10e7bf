#include "support/dtmf_signals.hpp"

#include <sndfile.h>
#include <spandsp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <numbers>
#include <random>

#include "libconf/audio/level.hpp"
#include "libconf/dsp/dtmf_detector.hpp"

namespace libconf::test {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;

std::int16_t sat(double v) { return static_cast<std::int16_t>(std::clamp(std::lround(v), -32768L, 32767L)); }

double amplitude_dbm0(double dbm0) {
  return 32768.0 * std::numbers::sqrt2 * std::pow(10.0, (dbm0 + audio::kDbm0InDbfs) / 20.0);
}

}  // namespace

void DtmfSignal::put_tone(const DtmfTone& t, std::size_t n, double& phase_low, double& phase_high) {
  int row = 0, col = 0;
  dsp::dtmf_position(t.digit, row, col);
  const double fl = dsp::kDtmfLowHz[row] * (1.0 + t.low_deviation);
  const double fh = dsp::kDtmfHighHz[col] * (1.0 + t.high_deviation);
  const double al = amplitude_dbm0(t.low_dbm0), ah = amplitude_dbm0(t.high_dbm0);
  for (std::size_t i = 0; i < n; ++i) {
    const double v = al * std::sin(phase_low) + ah * std::sin(phase_high);
    phase_low += kTwoPi * fl / rate_;
    phase_high += kTwoPi * fh / rate_;
    exact_.push_back(v);
    samples_.push_back(sat(v));
  }
}

DtmfSignal& DtmfSignal::silence(double ms) {
  const auto n = static_cast<std::size_t>(std::lround(ms * rate_ / 1000.0));
  samples_.insert(samples_.end(), n, 0);
  exact_.insert(exact_.end(), n, 0.0);
  return *this;
}

DtmfSignal& DtmfSignal::tone(const DtmfTone& t) {
  const auto begin = static_cast<std::int64_t>(samples_.size());
  double pl = t.low_phase, ph = t.high_phase;
  put_tone(t, static_cast<std::size_t>(std::lround(t.duration_ms * rate_ / 1000.0)), pl, ph);
  truth_.push_back({t.digit, begin, static_cast<std::int64_t>(samples_.size())});
  return *this;
}

DtmfSignal& DtmfSignal::tone_with_dropout(const DtmfTone& t, double gap_ms) {
  const auto begin = static_cast<std::int64_t>(samples_.size());
  const auto total = static_cast<std::size_t>(std::lround(t.duration_ms * rate_ / 1000.0));
  const auto gap = static_cast<std::size_t>(std::lround(gap_ms * rate_ / 1000.0));
  const std::size_t first = (total - gap) / 2;
  double pl = t.low_phase, ph = t.high_phase;
  put_tone(t, first, pl, ph);
  // The oscillators keep running through the gap, as when a line drops out.
  for (std::size_t i = 0; i < gap; ++i) {
    int row = 0, col = 0;
    dsp::dtmf_position(t.digit, row, col);
    pl += kTwoPi * dsp::kDtmfLowHz[row] * (1.0 + t.low_deviation) / rate_;
    ph += kTwoPi * dsp::kDtmfHighHz[col] * (1.0 + t.high_deviation) / rate_;
    samples_.push_back(0);
    exact_.push_back(0.0);
  }
  put_tone(t, total - gap - first, pl, ph);
  truth_.push_back({t.digit, begin, static_cast<std::int64_t>(samples_.size())});
  return *this;
}

DtmfSignal& DtmfSignal::append(const std::vector<std::int16_t>& x) {
  samples_.insert(samples_.end(), x.begin(), x.end());
  exact_.insert(exact_.end(), x.begin(), x.end());
  return *this;
}

DtmfSignal& DtmfSignal::add_noise(double level_dbfs, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> dist(0.0, 32768.0 * std::pow(10.0, level_dbfs / 20.0));
  for (std::size_t i = 0; i < samples_.size(); ++i) {
    exact_[i] += dist(rng);
    samples_[i] = sat(exact_[i]);
  }
  return *this;
}

std::string DtmfSignal::digits() const {
  std::string s;
  for (const auto& t : truth_) s += t.digit;
  return s;
}

std::vector<DetectedDigit> detect_libconf(const std::vector<std::int16_t>& x, int sample_rate_hz,
                                          std::size_t chunk) {
  dsp::DtmfDetectorConfig config;
  config.sample_rate_hz = sample_rate_hz;
  dsp::DtmfDetector detector(config);
  std::vector<DetectedDigit> found;
  std::array<dsp::DtmfDigitEvent, 8> events{};
  static constexpr std::size_t kVarying[] = {1, 7, 37, 160, 333, 2, 480, 101};
  std::size_t i = 0, k = 0;
  auto take = [&](std::size_t n) {
    for (std::size_t e = 0; e < n; ++e) {
      const auto& ev = events[e];
      if (!ev.end) {
        found.push_back({ev.digit, ev.start_sample, -1});
      } else if (!found.empty() && found.back().digit == ev.digit && found.back().end_sample < 0) {
        found.back().end_sample = ev.start_sample + static_cast<std::int64_t>(ev.duration_ms) * sample_rate_hz / 1000;
      }
    }
  };
  while (i < x.size()) {
    const std::size_t n = std::min(x.size() - i, chunk ? chunk : kVarying[k++ % std::size(kVarying)]);
    take(detector.process(std::span(x).subspan(i, n), events));
    i += n;
  }
  // Flush: enough silence to end a digit still held at the end of x.
  std::vector<std::int16_t> tail(static_cast<std::size_t>(sample_rate_hz / 10), 0);
  take(detector.process(tail, events));
  return found;
}

namespace {
struct SpandspRun {
  std::vector<DetectedDigit> found;
  std::int64_t position = 0;  // samples fed before the current chunk
  std::int64_t chunk_end = 0;
};
void spandsp_realtime(void* user, int code, int /*level*/, int delay) {
  auto* run = static_cast<SpandspRun*>(user);
  // spandsp reports at the end of the chunk being processed; delay is how
  // many samples before that point the change was confirmed.
  const std::int64_t at = run->chunk_end - delay;
  if (code != 0) {
    run->found.push_back({static_cast<char>(code), at, -1});
  } else if (!run->found.empty() && run->found.back().end_sample < 0) {
    run->found.back().end_sample = at;
  }
}
}  // namespace

std::vector<DetectedDigit> detect_spandsp(const std::vector<std::int16_t>& x, std::size_t chunk) {
  SpandspRun run;
  dtmf_rx_state_t* s = dtmf_rx_init(nullptr, nullptr, nullptr);
  dtmf_rx_set_realtime_callback(s, spandsp_realtime, &run);
  std::vector<std::int16_t> padded = x;
  padded.insert(padded.end(), 800, 0);
  for (std::size_t i = 0; i < padded.size(); i += chunk) {
    const std::size_t n = std::min(chunk, padded.size() - i);
    run.chunk_end = static_cast<std::int64_t>(i + n);
    dtmf_rx(s, padded.data() + i, static_cast<int>(n));
  }
  dtmf_rx_free(s);
  return run.found;
}

std::string digits_of(const std::vector<DetectedDigit>& d) {
  std::string s;
  for (const auto& x : d) s += x.digit;
  return s;
}

std::vector<std::int16_t> g711_round_trip_spandsp(const std::vector<std::int16_t>& x, bool ulaw) {
  std::vector<std::int16_t> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    y[i] = ulaw ? ulaw_to_linear(linear_to_ulaw(x[i])) : alaw_to_linear(linear_to_alaw(x[i]));
  return y;
}

namespace {

// Sentences read by the voices; a voice reads the text of its own language
// when there is one, otherwise the English text (espeak-ng then speaks it
// with that language's phonemes, which widens the corpus further).
struct Text {
  const char* language;
  const char* text;
};
constexpr Text kTexts[] = {
    {"en", "Welcome to the conference service. Please enter your room number followed by the hash key. "
           "The weather this week will be mostly sunny with some clouds in the afternoon, and temperatures "
           "around twenty degrees. Seven hundred and seventy people joined the meeting at nine forty one. "
           "Would you like to hear the options again? Press star to return to the main menu."},
    {"de", "Guten Tag und herzlich willkommen zur Telefonkonferenz. Bitte geben Sie Ihre Raumnummer ein. "
           "Das Wetter wird morgen sonnig, am Nachmittag ziehen einige Wolken auf. Die Sitzung beginnt um "
           "neun Uhr dreissig, bitte seien Sie puenktlich und schalten Sie Ihr Mikrofon stumm."},
    {"fr", "Bonjour et bienvenue dans la salle de conference. Veuillez saisir votre code confidentiel. "
           "Le temps sera ensoleille demain matin, avec quelques nuages dans l'apres-midi. La reunion "
           "commence a neuf heures et demie, merci de couper votre micro."},
    {"es", "Buenos dias y bienvenido a la conferencia telefonica. Por favor, introduzca el numero de sala. "
           "Manana hara sol por la manana y habra algunas nubes por la tarde. La reunion empieza a las nueve."},
    {"it", "Buongiorno e benvenuti alla conferenza telefonica. Inserite il numero della stanza, per favore. "
           "Domani ci sara il sole al mattino e qualche nuvola nel pomeriggio."},
    {"ja", "konnichiwa. kaigi ni youkoso. heya bangou wo nyuuryoku shite kudasai. ashita wa hare desu."},
    {"ru", "Zdravstvuyte i dobro pozhalovat na telefonnuyu konferentsiyu. Pozhaluysta, vvedite nomer komnaty."},
};

struct Voice {
  const char* name;
  const char* language;  // key into kTexts
};
// Languages and espeak-ng voice variants (m1..m7 male, f1..f5 female, plus
// character voices with odd pitch contours). Pitch and speed vary per entry.
constexpr Voice kVoices[] = {
    {"en-us", "en"}, {"en-gb+f3", "en"}, {"de+m3", "de"}, {"fr-fr+f2", "fr"}, {"es+m1", "es"},
    {"it+f4", "it"}, {"en-us+m7", "en"}, {"ja", "ja"}, {"ru+f1", "ru"}, {"de+f5", "de"},
    {"en-gb-x-rp+m2", "en"}, {"pl", "en"}, {"nl+f2", "en"}, {"sv+m4", "en"}, {"pt-br+f3", "en"},
    {"hi", "en"}, {"cmn", "en"}, {"ar", "en"}, {"en+klatt", "en"}, {"fr-fr+m5", "fr"},
    {"en-us+Annie", "en"}, {"en+Michael", "en"}, {"de+Andy", "de"}, {"en+grandma", "en"},
    {"es-419+f1", "es"}, {"fi", "en"}, {"tr+m6", "en"}, {"en-029", "en"}, {"el", "en"}, {"ko", "en"},
    {"vi", "en"}, {"en+croak", "en"}, {"it+m2", "it"}, {"en-us+f5", "en"}, {"cs", "en"}, {"hu+f2", "en"},
};

const char* text_for(const char* language) {
  for (const auto& t : kTexts)
    if (std::string(t.language) == language) return t.text;
  return kTexts[0].text;
}

std::vector<std::int16_t> read_wav(const std::string& path) {
  SF_INFO info{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  if (!f) return {};
  std::vector<std::int16_t> x(static_cast<std::size_t>(info.frames * info.channels));
  const sf_count_t got = sf_read_short(f, x.data(), static_cast<sf_count_t>(x.size()));
  sf_close(f);
  x.resize(static_cast<std::size_t>(std::max<sf_count_t>(got, 0)));
  if (info.channels > 1) {
    std::vector<std::int16_t> mono(x.size() / info.channels);
    for (std::size_t i = 0; i < mono.size(); ++i) mono[i] = x[i * info.channels];
    x = std::move(mono);
  }
  return x;
}

void normalise_active(std::vector<std::int16_t>& x, double level_dbfs) {
  double sum = 0.0;
  std::size_t n = 0;
  for (auto s : x)
    if (std::abs(s) > 30) {
      sum += double(s) * s;
      ++n;
    }
  if (n == 0) return;
  const double g = 32768.0 * std::pow(10.0, level_dbfs / 20.0) / std::sqrt(sum / n);
  for (auto& s : x) s = sat(s * g);
}

}  // namespace

std::vector<CorpusPiece> speech_corpus(int sample_rate_hz, double seconds, const std::string& cache_dir,
                                       std::size_t first_voice) {
  std::vector<CorpusPiece> out;
  ::mkdir(cache_dir.c_str(), 0755);
  double have = 0.0;
  const std::size_t nv = std::size(kVoices);
  for (std::size_t k = 0; have < seconds && k < 4 * nv; ++k) {
    const Voice& v = kVoices[(first_voice + k) % nv];
    const int round = static_cast<int>((first_voice + k) / nv);
    const int pitch = 20 + (static_cast<int>(k) * 37 + round * 23) % 70;  // 20..89
    const int speed = 130 + (static_cast<int>(k) * 29 + round * 17) % 70;  // 130..199 wpm
    const std::string base = cache_dir + "/" + std::string(v.name) + "_p" + std::to_string(pitch) + "_s" +
                             std::to_string(speed) + "_" + std::to_string(sample_rate_hz);
    std::string path = base + ".wav";
    std::vector<std::int16_t> x = read_wav(path);
    if (x.empty()) {
      // Private temporary names, then an atomic rename: tests running in
      // parallel may build the same cache entry at once.
      const std::string tag = "." + std::to_string(::getpid());
      const std::string raw = base + tag + "_raw.wav", tmp = base + tag + ".wav";
      const std::string cmd = "espeak-ng -v '" + std::string(v.name) + "' -p " + std::to_string(pitch) + " -s " +
                              std::to_string(speed) + " -w '" + raw + "' \"" + text_for(v.language) +
                              "\" >/dev/null 2>&1 && sox '" + raw + "' -r " + std::to_string(sample_rate_hz) +
                              " -b 16 -c 1 '" + tmp + "' >/dev/null 2>&1";
      const int rc = std::system(cmd.c_str());
      std::remove(raw.c_str());
      if (rc != 0 || std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        continue;
      }
      x = read_wav(path);
      if (x.empty()) continue;
    }
    // Levels from -30 to -10 dBFS active speech (about -24..-4 dBm0).
    normalise_active(x, -30.0 + static_cast<double>((k * 7) % 21));
    have += static_cast<double>(x.size()) / sample_rate_hz;
    out.push_back({v.name, std::move(x)});
  }
  return out;
}

namespace {

// Runs a shell command that writes `path` through a private temporary name
// (parallel tests may build the same cache entry) and reads the result.
std::vector<std::int16_t> cached(const std::string& path, const std::string& make_into_tmp) {
  std::vector<std::int16_t> x = read_wav(path);
  if (!x.empty()) return x;
  const std::string tmp = path + "." + std::to_string(::getpid()) + ".tmp.wav";
  std::string cmd = make_into_tmp;
  for (std::size_t at; (at = cmd.find("{TMP}")) != std::string::npos;) cmd.replace(at, 5, tmp);
  if (std::system((cmd + " >/dev/null 2>&1").c_str()) != 0 || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return {};
  }
  return read_wav(path);
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

}  // namespace

std::vector<CorpusPiece> synth_speech_corpus(int sample_rate_hz, double seconds, const std::string& cache_dir) {
  ::mkdir(cache_dir.c_str(), 0755);
  struct Synth {
    const char* name;
    const char* language;
    const char* command;  // {TEXT} file, {RAW} output
  };
  static constexpr Synth kSynths[] = {
      {"flite-kal", "en", "flite -voice kal -f {TEXT} -o {RAW}"},
      {"flite-kal16", "en", "flite -voice kal16 -f {TEXT} -o {RAW}"},
      {"flite-awb", "en", "flite -voice awb -f {TEXT} -o {RAW}"},
      {"flite-rms", "en", "flite -voice rms -f {TEXT} -o {RAW}"},
      {"flite-slt", "en", "flite -voice slt -f {TEXT} -o {RAW}"},
      {"festival-kal", "en", "text2wave -eval '(voice_kal_diphone)' -o {RAW} {TEXT}"},
      {"festival-slt-hts", "en", "text2wave -eval '(voice_cmu_us_slt_arctic_hts)' -o {RAW} {TEXT}"},
      {"festival-it-lp", "it", "text2wave -eval '(voice_lp_diphone)' -o {RAW} {TEXT}"},
      {"festival-cs-dita", "cs", "text2wave -eval '(voice_czech_dita)' -o {RAW} {TEXT}"},
      {"festival-fi-lj", "fi", "text2wave -eval '(voice_suo_fi_lj_diphone)' -o {RAW} {TEXT}"},
  };
  static constexpr Text kMoreTexts[] = {
      {"cs", "Dobry den a vitejte v telefonni konferenci. Zadejte prosim cislo mistnosti a potom krizek. "
             "Zitra bude slunecno, odpoledne prijdou mraky. Schuzka zacina v devet hodin."},
      {"fi", "Hyvaa paivaa ja tervetuloa puhelinkokoukseen. Nappaile huoneen numero ja sen jalkeen risuaita. "
             "Huomenna on aurinkoista, iltapaivalla pilvista. Kokous alkaa kello yhdeksan."},
  };
  auto text_of = [](const char* language) {
    for (const auto& t : kMoreTexts)
      if (std::string(t.language) == language) return t.text;
    return text_for(language);
  };
  std::vector<CorpusPiece> out;
  double have = 0.0;
  for (int shift : {0, 400, -300})
    for (std::size_t k = 0; k < std::size(kSynths) && have < seconds; ++k) {
      const Synth& v = kSynths[k];
      const std::string base = cache_dir + "/" + v.name + "_c" + std::to_string(shift) + "_" + std::to_string(sample_rate_hz);
      const std::string text_file = cache_dir + "/" + v.language + ".txt";
      if (!std::ifstream(text_file)) std::ofstream(text_file) << text_of(v.language) << "\n";
      std::string synth = v.command;
      const std::string raw = base + "." + std::to_string(::getpid()) + ".raw.wav";
      for (std::size_t at; (at = synth.find("{TEXT}")) != std::string::npos;) synth.replace(at, 6, quoted(text_file));
      for (std::size_t at; (at = synth.find("{RAW}")) != std::string::npos;) synth.replace(at, 5, quoted(raw));
      const std::string effect = shift == 0 ? "" : " pitch " + std::to_string(shift);
      auto x = cached(base + ".wav", synth + " && sox " + quoted(raw) + " -r " + std::to_string(sample_rate_hz) +
                                         " -b 16 -c 1 {TMP}" + effect + "; rc=$?; rm -f " + quoted(raw) + "; exit $rc");
      if (x.empty()) continue;
      normalise_active(x, -30.0 + static_cast<double>((k * 7 + static_cast<std::size_t>(shift + 300) / 100) % 21));
      have += static_cast<double>(x.size()) / sample_rate_hz;
      out.push_back({std::string(v.name) + (shift ? (shift > 0 ? "+" : "") + std::to_string(shift) + "c" : ""), std::move(x)});
    }
  return out;
}

std::vector<CorpusPiece> packaged_audio_corpus(int sample_rate_hz, double seconds, const std::string& cache_dir) {
  ::mkdir(cache_dir.c_str(), 0755);
  std::vector<std::string> files;
  {
    const std::string list = cache_dir + "/packaged." + std::to_string(::getpid()) + ".txt";
    const std::string cmd = "find /usr/share/games /usr/share/hyperrogue /usr/share/scummvm/drascula/audio "
                            "/usr/share/sounds -type f \\( -name '*.ogg' -o -name '*.oga' -o -name '*.flac' -o "
                            "-name '*.wav' \\) 2>/dev/null | sort > " + quoted(list);
    (void)std::system(cmd.c_str());
    std::ifstream in(list);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) files.push_back(line);
    std::remove(list.c_str());
  }
  std::vector<CorpusPiece> out;
  double have = 0.0;
  for (std::size_t k = 0; k < files.size() && have < seconds; ++k) {
    std::string key = files[k];
    for (auto& c : key)
      if (c == '/' || c == ' ') c = '_';
    const std::string path = cache_dir + "/pkg" + key + "_" + std::to_string(sample_rate_hz) + ".wav";
    auto x = cached(path, "sox " + quoted(files[k]) + " -r " + std::to_string(sample_rate_hz) + " -b 16 -c 1 {TMP}");
    if (x.size() < static_cast<std::size_t>(sample_rate_hz / 10)) continue;
    normalise_active(x, -30.0 + static_cast<double>((k * 7) % 21));
    have += static_cast<double>(x.size()) / sample_rate_hz;
    const auto slash = files[k].find_last_of('/');
    out.push_back({files[k].substr(slash == std::string::npos ? 0 : slash + 1), std::move(x)});
  }
  return out;
}

std::vector<CorpusPiece> music_corpus(int sample_rate_hz, double seconds, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const double fs = sample_rate_hz;
  const double nyquist = fs / 2.0 - 100.0;
  auto note_hz = [](int midi) { return 440.0 * std::pow(2.0, (midi - 69) / 12.0); };
  // Additive instrument: partial h has amplitude 1/h^tilt.
  auto add_note = [&](std::vector<double>& buf, std::size_t at, std::size_t len, double f0, double amp,
                      double tilt, int partials) {
    for (int h = 1; h <= partials && h * f0 < nyquist; ++h) {
      const double a = amp / std::pow(h, tilt);
      const double w = kTwoPi * h * f0 / fs;
      for (std::size_t i = 0; i < len && at + i < buf.size(); ++i) {
        const double t = static_cast<double>(i) / len;
        const double env = std::min(1.0, t * 20.0) * (1.0 - 0.6 * t);  // attack, slow decay
        buf[at + i] += a * env * std::sin(w * static_cast<double>(i));
      }
    }
  };
  std::vector<CorpusPiece> out;
  double have = 0.0;
  int kind = 0;
  while (have < seconds) {
    const std::size_t n = static_cast<std::size_t>(20.0 * fs);  // 20 s pieces
    std::vector<double> buf(n, 0.0);
    std::string name;
    switch (kind++ % 4) {
      case 0: {  // chords: triad plus bass, 4..6 partials, 0.3..1.2 s each
        name = "chords";
        for (std::size_t at = 0; at < n;) {
          const auto len = static_cast<std::size_t>((0.3 + 0.9 * u(rng)) * fs);
          const int root = 48 + static_cast<int>(u(rng) * 24);
          const bool minor = u(rng) < 0.5;
          for (int m : {root - 12, root, root + (minor ? 3 : 4), root + 7})
            add_note(buf, at, len, note_hz(m), 0.25, 1.0 + u(rng), 4 + static_cast<int>(u(rng) * 3));
          at += len;
        }
        break;
      }
      case 1: {  // sweeps: a slow harmonic glide (a decade in 4 s) plus fast
        // crossing glides (a decade in 0.75 s). Two glides that stay within
        // 2.5 % of a DTMF pair for 34 ms or more are a DTMF signal by Q.24's
        // own criteria; see "Known limits" in docs/dsp.md.
        name = "sweeps";
        double pa = 0.0, pb = 0.0, pc = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
          const double t = static_cast<double>(i) / fs;
          const double slow = std::fmod(t, 4.0) / 4.0;
          const double fast = std::fmod(t, 0.75) / 0.75;
          const double fa = 300.0 * std::pow(10.0, slow);
          const double fb = 3000.0 * std::pow(10.0, -fast);
          const double fc = 250.0 * std::pow(10.0, fast);
          pa += kTwoPi * fa / fs;
          pb += kTwoPi * fb / fs;
          pc += kTwoPi * fc / fs;
          double v = 0.0;
          for (int h = 1; h <= 3 && h * fa < nyquist; ++h) v += 0.3 / h * std::sin(h * pa);
          if (fb < nyquist) v += 0.2 * std::sin(pb);
          if (fc < nyquist) v += 0.2 * std::sin(pc);
          buf[i] = v;
        }
        break;
      }
      case 2: {  // arpeggios and melody over a drone, with percussive noise
        name = "arpeggio";
        for (std::size_t at = 0; at < n;) {
          const auto len = static_cast<std::size_t>((0.08 + 0.25 * u(rng)) * fs);
          add_note(buf, at, len * 2, note_hz(60 + static_cast<int>(u(rng) * 30)), 0.4, 1.2, 8);
          if (u(rng) < 0.3)
            for (std::size_t i = 0; i < len / 4 && at + i < n; ++i)
              buf[at + i] += 0.3 * (u(rng) - 0.5) * (1.0 - double(i) / (len / 4));
          at += len;
        }
        for (std::size_t at = 0; at < n; at += static_cast<std::size_t>(2 * fs))
          add_note(buf, at, static_cast<std::size_t>(2 * fs), note_hz(36 + static_cast<int>(u(rng) * 12)), 0.2,
                   0.8, 10);
        break;
      }
      case 3: {  // organ: drawbar partials 1,2,3,4,6,8 with tremolo, held chords
        name = "organ";
        for (std::size_t at = 0; at < n;) {
          const auto len = static_cast<std::size_t>((1.0 + 2.0 * u(rng)) * fs);
          const int root = 50 + static_cast<int>(u(rng) * 20);
          for (int m : {root, root + 4, root + 7, root + 12}) {
            const double f0 = note_hz(m);
            for (int h : {1, 2, 3, 4, 6, 8}) {
              if (h * f0 >= nyquist) continue;
              const double w = kTwoPi * h * f0 / fs;
              for (std::size_t i = 0; i < len && at + i < n; ++i)
                buf[at + i] += 0.08 / std::sqrt(h) * (1.0 + 0.2 * std::sin(kTwoPi * 6.0 * i / fs)) *
                               std::sin(w * static_cast<double>(i));
            }
          }
          at += len;
        }
        break;
      }
    }
    double peak = 1e-9;
    for (double v : buf) peak = std::max(peak, std::abs(v));
    const double level = -30.0 + 20.0 * u(rng);  // rms target
    double sum = 0.0;
    for (double v : buf) sum += v * v;
    const double g = 32768.0 * std::pow(10.0, level / 20.0) / std::sqrt(sum / n);
    std::vector<std::int16_t> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = sat(buf[i] * g);
    have += 20.0;
    out.push_back({name, std::move(x)});
  }
  return out;
}

}  // namespace libconf::test
