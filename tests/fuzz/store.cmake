# libFuzzer target for the store's text checks: arbitrary bytes into the UTF-8
# validator and the lookup-key check that both Store backends rely on.
# Included by tests/fuzz/CMakeLists.txt when LIBCONF_BUILD_FUZZ is ON with clang.
#   cmake --build build-fuzz --target fuzz_store_text && build-fuzz/tests/fuzz/fuzz_store_text -runs=10000000
if(LIBCONF_BUILD_FUZZ AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  add_executable(fuzz_store_text ${CMAKE_CURRENT_LIST_DIR}/store_text_fuzz.cpp
                                 ${PROJECT_SOURCE_DIR}/libconf/store/validation.cpp)
  target_include_directories(fuzz_store_text PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(fuzz_store_text PRIVATE libconf::room)
  target_compile_features(fuzz_store_text PRIVATE cxx_std_20)
  target_compile_options(fuzz_store_text PRIVATE -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)
  target_link_options(fuzz_store_text PRIVATE -fsanitize=fuzzer,address,undefined)
endif()
