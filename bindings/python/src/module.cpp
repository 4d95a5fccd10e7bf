// The extension module libconf._libconf. The package libconf/__init__.py
// re-exports everything; users import libconf.
#include "common.hpp"

PYBIND11_MODULE(_libconf, m) {
  using namespace libconf::python;
  m.doc() =
      "libconf: C++20 SDK for telephone/VoIP audio conferencing (native module).\n\n"
      "Audio is mono np.int16 PCM throughout. Objects are not thread-safe: use each\n"
      "one from one Python thread at a time (the GIL is released around heavy work).";
  init_errors(m);
  init_audio(m);
  init_codec(m);
  init_dsp(m);
  init_jitter(m);
  init_mix(m);
  init_engine(m);
  init_scenario(m);
  init_room(m);
  init_ivr(m);
  init_store(m);
}
