# libFuzzer targets for the configuration parsers and audio files (the file
# host's and the IVR's untrusted input):
#   fuzz_scenario_json   parse_scenario: any bytes parse or throw libconf::Error
#   fuzz_story_json      parse_story: the same
#   fuzz_ivr_json        Menu::parse, KeyMap::parse, DidRouter::parse (first byte picks)
#   fuzz_audio_file      read_audio_file on the bytes as a file (WAV, FLAC, Ogg... headers)
# Included by tests/fuzz/CMakeLists.txt when LIBCONF_BUILD_FUZZ is ON with clang;
# see docs/fuzzing.md. The parsers' own sources are compiled into each target
# so libFuzzer sees their coverage; the layers below are linked.
if(LIBCONF_BUILD_FUZZ AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(_src ${PROJECT_SOURCE_DIR}/libconf)
  set(_ivr_sources
    ${_src}/ivr/action.cpp ${_src}/ivr/builtin_key_map.cpp ${_src}/ivr/builtin_menu.cpp ${_src}/ivr/caller_role.cpp
    ${_src}/ivr/did_router.cpp ${_src}/ivr/ivr_session.cpp ${_src}/ivr/json_config.cpp ${_src}/ivr/key_map.cpp
    ${_src}/ivr/key_map_matcher.cpp ${_src}/ivr/menu.cpp ${_src}/ivr/menu_parser.cpp)
  function(libconf_config_fuzz name)
    cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
    add_executable(${name} ${CMAKE_CURRENT_LIST_DIR}/${name}.cpp ${ARG_SOURCES})
    target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR})
    target_link_libraries(${name} PRIVATE ${ARG_LIBS})
    target_compile_features(${name} PRIVATE cxx_std_20)
    target_compile_options(${name} PRIVATE -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  endfunction()
  libconf_config_fuzz(fuzz_scenario_json
    SOURCES ${_src}/scenario/scenario_parser.cpp ${_src}/scenario/audio_file.cpp ${_src}/ivr/json_config.cpp
    LIBS libconf::engine libconf::codec libconf::audio PkgConfig::SNDFILE Boost::json)
  libconf_config_fuzz(fuzz_story_json
    SOURCES ${_src}/scenario/story_parser.cpp ${_src}/scenario/audio_file.cpp ${_src}/ivr/json_config.cpp
    LIBS libconf::engine libconf::codec libconf::audio PkgConfig::SNDFILE Boost::json)
  libconf_config_fuzz(fuzz_ivr_json SOURCES ${_ivr_sources} LIBS libconf::audio Boost::json)
  libconf_config_fuzz(fuzz_audio_file
    SOURCES ${_src}/scenario/audio_file.cpp LIBS libconf::audio PkgConfig::SNDFILE)
endif()
