# libFuzzer target for the jitter buffer: arbitrary packet sequences (sequence,
# timestamp, SSRC, payload size including oversized, arrival jumps) into put/get.
# Included by tests/fuzz/CMakeLists.txt when LIBCONF_BUILD_FUZZ is ON with clang.
#   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_C_COMPILER=clang-14 \
#         -DLIBCONF_BUILD_FUZZ=ON -DLIBCONF_BUILD_PYTHON=OFF
#   cmake --build build-fuzz --target fuzz_jitter && build-fuzz/tests/fuzz/fuzz_jitter -runs=1000000
if(LIBCONF_BUILD_FUZZ AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  # The jitter sources are compiled into the target so libFuzzer sees their coverage.
  add_executable(fuzz_jitter ${CMAKE_CURRENT_LIST_DIR}/jitter_fuzz.cpp
                             ${PROJECT_SOURCE_DIR}/libconf/jitter/jitter_buffer.cpp)
  target_include_directories(fuzz_jitter PRIVATE ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(fuzz_jitter PRIVATE libconf::audio)
  target_compile_features(fuzz_jitter PRIVATE cxx_std_20)
  target_compile_options(fuzz_jitter PRIVATE -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)
  target_link_options(fuzz_jitter PRIVATE -fsanitize=fuzzer,address,undefined)
endif()
