# libFuzzer targets for the transport layer's parsers of untrusted input:
#   fuzz_transport_rtp    RTP header parser (and header re-write round trip)
#   fuzz_transport_rtcp   RTCP compound parser (and report re-write round trip)
#   fuzz_transport_srtp   SRTP/SRTCP unprotect with a fixed key, plus the SDES a=crypto parser
#   fuzz_transport_rfc4733  telephone-event payloads fed through the receiver state machine
# Included by tests/fuzz/CMakeLists.txt when LIBCONF_BUILD_FUZZ is ON with clang:
#   CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DLIBCONF_BUILD_FUZZ=ON -DLIBCONF_BUILD_TESTS=OFF \
#     -DLIBCONF_BUILD_BENCH=OFF -DLIBCONF_BUILD_PYTHON=OFF -DLIBCONF_BUILD_EXAMPLES=OFF
#   cmake --build build-fuzz --target fuzz_transport_rtp && build-fuzz/tests/fuzz/fuzz_transport_rtp -runs=1000000
# The transport sources are compiled into each target so libFuzzer sees their coverage.
if(LIBCONF_BUILD_FUZZ AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(_transport_dir ${PROJECT_SOURCE_DIR}/libconf/transport)
  set(_fuzz_transport_sources
    ${_transport_dir}/rtp_packet.cpp ${_transport_dir}/rtcp_packet.cpp ${_transport_dir}/rtp_stats.cpp
    ${_transport_dir}/telephone_event.cpp ${_transport_dir}/base64.cpp ${_transport_dir}/srtp.cpp)
  foreach(_name rtp rtcp srtp rfc4733)
    add_executable(fuzz_transport_${_name} ${CMAKE_CURRENT_LIST_DIR}/transport_${_name}_fuzz.cpp ${_fuzz_transport_sources})
    target_include_directories(fuzz_transport_${_name} PRIVATE ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR})
    target_link_libraries(fuzz_transport_${_name} PRIVATE libconf::audio PkgConfig::SRTP2)
    target_compile_features(fuzz_transport_${_name} PRIVATE cxx_std_20)
    target_compile_options(fuzz_transport_${_name} PRIVATE -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)
    target_link_options(fuzz_transport_${_name} PRIVATE -fsanitize=fuzzer,address,undefined)
  endforeach()
endif()
