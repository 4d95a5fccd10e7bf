# libFuzzer targets for the SIP layer's glue over belle-sip (input from the network):
#   fuzz_sip_sdp      SDP bodies through parse_sdp / answer_offer / write_answer / read_answer
#   fuzz_sip_message  whole SIP messages through belle-sip's parser, our readers of the parsed
#                     message (Via source, option tags, numeric headers) and the body parsers
#                     (SDP, INFO DTMF)
# See docs/fuzzing.md for the build line; belle-sip and bctoolbox come from Debian.
if(LIBCONF_BUILD_FUZZ AND LIBCONF_BUILD_SIP AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(_sip_dir ${PROJECT_SOURCE_DIR}/libconf/sip)
  add_executable(fuzz_sip_sdp ${CMAKE_CURRENT_LIST_DIR}/sip_sdp_fuzz.cpp ${_sip_dir}/sdp.cpp)
  target_include_directories(fuzz_sip_sdp PRIVATE ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR})
  target_link_libraries(fuzz_sip_sdp PRIVATE libconf::transport PkgConfig::BELLESIP PkgConfig::BCTOOLBOX)
  target_compile_features(fuzz_sip_sdp PRIVATE cxx_std_20)
  target_compile_options(fuzz_sip_sdp PRIVATE -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)
  target_link_options(fuzz_sip_sdp PRIVATE -fsanitize=fuzzer,address,undefined)

  add_executable(fuzz_sip_message ${CMAKE_CURRENT_LIST_DIR}/sip_message_fuzz.cpp ${_sip_dir}/sdp.cpp
                 ${_sip_dir}/sip_message.cpp ${_sip_dir}/dtmf_info.cpp ${_sip_dir}/user_agent.cpp ${_sip_dir}/access.cpp
                 ${_sip_dir}/ua_server.cpp ${_sip_dir}/ua_client.cpp ${_sip_dir}/ua_dialog.cpp ${_sip_dir}/ua_registrar.cpp
                 ${_sip_dir}/digest.cpp ${_sip_dir}/credentials.cpp ${_sip_dir}/tls_server.cpp)
  target_include_directories(fuzz_sip_message PRIVATE ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR})
  target_link_libraries(fuzz_sip_message PRIVATE libconf::transport PkgConfig::BELLESIP PkgConfig::BCTOOLBOX)
  target_compile_features(fuzz_sip_message PRIVATE cxx_std_20)
  target_compile_options(fuzz_sip_message PRIVATE -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)
  target_link_options(fuzz_sip_message PRIVATE -fsanitize=fuzzer,address,undefined)
endif()
