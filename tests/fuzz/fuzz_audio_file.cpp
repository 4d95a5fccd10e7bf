// Fuzzes read_audio_file: the bytes are written to a file in /dev/shm and
// read back. Any file either reads (mono, at its own rate, no longer than the
// cap) or throws libconf::Error; a header's claim never sizes an allocation.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "libconf/error.hpp"
#include "libconf/scenario/audio_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/dev/shm/libconf_fuzz_audio_" + std::to_string(::getpid());
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
  try {
    const auto b = libconf::scenario::read_audio_file(path);
    if (b.samples.empty() || b.sample_rate_hz < 1000 || b.sample_rate_hz > 384000) std::abort();
    if (static_cast<double>(b.samples.size()) > libconf::scenario::kMaxAudioFileSeconds * b.sample_rate_hz + 1)
      std::abort();
  } catch (const libconf::Error&) {
  }
  return 0;
}
