#pragma once
// The Q.24 / LSSGR receiver criteria as a sweep of test signals, run against
// any detector (libconf's or spandsp's) so both are judged on exactly the
// same samples. Used by test_dsp_dtmf, test_dsp_dtmf_vs_spandsp and bench/dtmf.

#include <functional>
#include <string>
#include <vector>

#include "support/dtmf_signals.hpp"

namespace libconf::test {

using DtmfDetectFn = std::function<std::vector<DetectedDigit>(const std::vector<std::int16_t>&)>;

struct CriterionResult {
  std::string name;    ///< e.g. "accept 1.5 % frequency deviation"
  int passed = 0;      ///< cases that met the criterion
  int total = 0;
  std::string failures;  ///< first few failing cases, for messages
};

/// Every criterion at sample_rate_hz. noise_snr_db: DTMF power over white
/// noise power in the whole band.
std::vector<CriterionResult> run_dtmf_criteria(const DtmfDetectFn& detect, int sample_rate_hz,
                                               double noise_snr_db = 12.0);

/// Share of tones of duration_ms detected (16 digits x 8 alignments).
double detection_rate(const DtmfDetectFn& detect, int sample_rate_hz, double duration_ms);

}  // namespace libconf::test
