// A program that uses libconf from an installed copy: one N-1 mix and one
// G.711 round trip. Exit code 0 only when the results are right.
#include <libconf/codec/registry.hpp>
#include <libconf/mix/mixer.hpp>

#include <cstdio>
#include <vector>

int main() {
  libconf::mix::Mixer mixer({});
  const auto a = mixer.add_leg().value();
  const auto b = mixer.add_leg().value();
  for (auto& s : mixer.input(a)) s = 1000;
  mixer.set_voice(a, true, -30.0f);
  mixer.mix();
  const bool mix_ok = mixer.output(b)[0] == 1000 && mixer.output(a)[0] == 0;

  auto codecs = libconf::codec::CodecRegistry::with_builtin_codecs();
  auto pcmu = codecs.create("PCMU", {}).value();
  std::vector<std::int16_t> pcm(160, 1000), back(160);
  std::vector<std::uint8_t> bytes(160);
  const bool codec_ok = pcmu->encode(pcm, bytes).value() == 160 && pcmu->decode(bytes, back).value() == 160 &&
                        back[0] > 950 && back[0] < 1050;
  std::printf("consumer: mix %s, PCMU %s\n", mix_ok ? "ok" : "WRONG", codec_ok ? "ok" : "WRONG");
  return mix_ok && codec_ok ? 0 : 1;
}
