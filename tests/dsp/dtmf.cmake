# DTMF detector, generator, guard, call-progress tones and comfort noise.
# spandsp is the reference detector: tests and benches only, never the library.
if(NOT TARGET PkgConfig::SPANDSP)
  pkg_check_modules(SPANDSP REQUIRED IMPORTED_TARGET spandsp)
endif()
set(LIBCONF_DTMF_SUPPORT ${PROJECT_SOURCE_DIR}/tests/support/dtmf_signals.cpp
                         ${PROJECT_SOURCE_DIR}/tests/support/dtmf_criteria.cpp)
set(LIBCONF_DTMF_CORPUS_DIR ${CMAKE_BINARY_DIR}/dtmf_corpus)

libconf_add_test(test_dsp_dtmf
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/dtmf_detector_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/dtmf_guard_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/dtmf_generator_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/tone_generator_test.cpp
          ${LIBCONF_DTMF_SUPPORT}
  LIBS libconf::dsp PkgConfig::SPANDSP PkgConfig::SNDFILE
  TIMEOUT 120)
target_compile_definitions(test_dsp_dtmf PRIVATE LIBCONF_DTMF_CORPUS_DIR="${LIBCONF_DTMF_CORPUS_DIR}")

# Codec survival links the codec layer (G.711, Opus) and libopus directly.
libconf_add_test(test_dsp_dtmf_codec
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/dtmf_codec_test.cpp ${LIBCONF_DTMF_SUPPORT}
  LIBS libconf::dsp libconf::codec PkgConfig::OPUS PkgConfig::SPANDSP PkgConfig::SNDFILE
  TIMEOUT 60)

# Side by side with spandsp on the whole criteria sweep and a talk-off subset.
libconf_add_test(test_dsp_dtmf_vs_spandsp
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/dtmf_spandsp_compare_test.cpp ${LIBCONF_DTMF_SUPPORT}
  LIBS libconf::dsp PkgConfig::SPANDSP PkgConfig::SNDFILE
  TIMEOUT 120)
target_compile_definitions(test_dsp_dtmf_vs_spandsp PRIVATE LIBCONF_DTMF_CORPUS_DIR="${LIBCONF_DTMF_CORPUS_DIR}")
