# libFuzzer targets for the SIP layer's glue over belle-sip (input from the network):
#   fuzz_sip_sdp   SDP bodies through parse_sdp / answer_offer / write_answer / read_answer
# See docs/fuzzing.md for the build line; belle-sip and bctoolbox come from Debian.
if(LIBCONF_BUILD_FUZZ AND LIBCONF_BUILD_SIP AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(_sip_dir ${PROJECT_SOURCE_DIR}/libconf/sip)
  add_executable(fuzz_sip_sdp ${CMAKE_CURRENT_LIST_DIR}/sip_sdp_fuzz.cpp ${_sip_dir}/sdp.cpp)
  target_include_directories(fuzz_sip_sdp PRIVATE ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR})
  target_link_libraries(fuzz_sip_sdp PRIVATE libconf::transport PkgConfig::BELLESIP PkgConfig::BCTOOLBOX)
  target_compile_features(fuzz_sip_sdp PRIVATE cxx_std_20)
  target_compile_options(fuzz_sip_sdp PRIVATE -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)
  target_link_options(fuzz_sip_sdp PRIVATE -fsanitize=fuzzer,address,undefined)
endif()
