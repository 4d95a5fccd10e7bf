#pragma once
// DTMF test signals, codec round trips, the spandsp reference detector and
// the talk-off corpus (espeak-ng speech, music-like signals), shared by the
// dsp tests and bench/dtmf. Levels: dBm0 per tone (audio::kDbm0InDbfs).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "libconf/dsp/dtmf.hpp"

namespace libconf::test {

/// One tone pair as the test puts it on the line.
struct DtmfTone {
  char digit = '1';
  double low_dbm0 = -10.0;        ///< level of the low-group tone
  double high_dbm0 = -10.0;       ///< level of the high-group tone
  double low_deviation = 0.0;     ///< relative frequency error, e.g. +0.015
  double high_deviation = 0.0;
  double duration_ms = 60.0;
  double low_phase = 0.0;         ///< starting phase of the low tone, radians
  double high_phase = 0.0;
};

/// What a signal contains: each digit's first and one-past-last sample.
struct DtmfTruth {
  char digit;
  std::int64_t begin;
  std::int64_t end;
};

/// Builds a test signal piece by piece at one rate.
class DtmfSignal {
 public:
  explicit DtmfSignal(int sample_rate_hz) : rate_(sample_rate_hz) {}
  DtmfSignal& silence(double ms);
  DtmfSignal& tone(const DtmfTone& t);
  /// A digit with a drop-out of gap_ms in the middle (one truth entry).
  DtmfSignal& tone_with_dropout(const DtmfTone& t, double gap_ms);
  /// Appends arbitrary samples (no truth entry).
  DtmfSignal& append(const std::vector<std::int16_t>& x);
  /// Adds white noise over the whole signal at the given level (dBFS).
  DtmfSignal& add_noise(double level_dbfs, std::uint32_t seed);

  const std::vector<std::int16_t>& samples() const { return samples_; }
  const std::vector<DtmfTruth>& truth() const { return truth_; }
  std::string digits() const;
  int sample_rate_hz() const { return rate_; }

 private:
  void put_tone(const DtmfTone& t, std::size_t n, double& phase_low, double& phase_high);
  int rate_;
  std::vector<std::int16_t> samples_;
  std::vector<DtmfTruth> truth_;
  std::vector<double> exact_;  // unsaturated, for add_noise
};

/// Digit events as the tests record them.
struct DetectedDigit {
  char digit;
  std::int64_t start_sample;
  std::int64_t end_sample;  ///< -1 until an end event arrives
};

/// Runs libconf's detector over x in chunks of chunk samples (varying when
/// chunk == 0: 1, 7, 37, 160, 333 ... to prove frame independence).
std::vector<DetectedDigit> detect_libconf(const std::vector<std::int16_t>& x, int sample_rate_hz,
                                          std::size_t chunk = 160);
/// Runs spandsp's dtmf_rx (default parameters) over x (8 kHz only).
std::vector<DetectedDigit> detect_spandsp(const std::vector<std::int16_t>& x, std::size_t chunk = 160);
std::string digits_of(const std::vector<DetectedDigit>& d);

/// G.711 round trip with spandsp's reference tables (µ-law when ulaw).
std::vector<std::int16_t> g711_round_trip_spandsp(const std::vector<std::int16_t>& x, bool ulaw);

/// The talk-off corpus. Speech is produced by espeak-ng (many voices and
/// languages) and cached as WAV files in cache_dir; music-like signals are
/// computed. Each piece is at sample_rate_hz, -30..-10 dBFS.
struct CorpusPiece {
  std::string name;
  std::vector<std::int16_t> samples;
};
/// Speech of about `seconds` in total, from voices[first_voice...]; returns
/// an empty vector if espeak-ng or sox is missing.
std::vector<CorpusPiece> speech_corpus(int sample_rate_hz, double seconds, const std::string& cache_dir,
                                       std::size_t first_voice = 0);
/// Speech from other synthesisers than espeak-ng, about `seconds` in all:
/// flite's voices (kal, kal16, awb, rms, slt) and festival's installed voices
/// (text2wave: kal_diphone, cmu_us_slt_arctic_hts, lp_diphone, czech_dita,
/// suo_fi_lj_diphone), each also pitch-shifted by +400 and -300 cents with
/// sox (other fundamentals, other harmonic coincidences). Cached as WAV in
/// cache_dir; voices that are not installed are skipped.
std::vector<CorpusPiece> synth_speech_corpus(int sample_rate_hz, double seconds, const std::string& cache_dir);
/// Recorded music and sounds shipped in Debian packages: every .ogg, .flac
/// and .wav under /usr/share/games, /usr/share/hyperrogue,
/// /usr/share/scummvm/drascula/audio and /usr/share/sounds (game music,
/// sound themes), converted with sox to mono at sample_rate_hz, in path
/// order, about `seconds` in all. Cached in cache_dir.
std::vector<CorpusPiece> packaged_audio_corpus(int sample_rate_hz, double seconds, const std::string& cache_dir);
/// Music-like signals of about `seconds` in total: chords with harmonics,
/// parallel sweeps, arpeggios, tremolo organ, deterministic for a seed.
std::vector<CorpusPiece> music_corpus(int sample_rate_hz, double seconds, std::uint32_t seed = 1);

}  // namespace libconf::test
