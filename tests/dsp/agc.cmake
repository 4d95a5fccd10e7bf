# AGC and talker detection (owner: agc).
libconf_add_test(test_dsp_agc
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/agc_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/talker_detector_test.cpp
          ${PROJECT_SOURCE_DIR}/tests/support/agc_signals.cpp
  LIBS libconf::dsp
  TIMEOUT 60)
