# libconf_add_layer(<name> SOURCES ... [DEPENDS layer...] [LIBS ...])
# One static library per layer of docs/architecture.md, named libconf_<name>
# with the alias libconf::<name>. DEPENDS names the layers above it that it uses.
function(libconf_add_layer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS;LIBS" ${ARGN})
  add_library(libconf_${name} STATIC ${ARG_SOURCES})
  add_library(libconf::${name} ALIAS libconf_${name})
  target_include_directories(libconf_${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
    PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_features(libconf_${name} PUBLIC cxx_std_20)
  target_compile_options(libconf_${name} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
  foreach(dep IN LISTS ARG_DEPENDS)
    target_link_libraries(libconf_${name} PUBLIC libconf_${dep})
  endforeach()
  if(ARG_LIBS)
    target_link_libraries(libconf_${name} PRIVATE ${ARG_LIBS})
  endif()
  if(LIBCONF_SANITIZER_FLAGS)
    target_link_options(libconf_${name} INTERFACE ${LIBCONF_SANITIZER_FLAGS})
  endif()
  set_target_properties(libconf_${name} PROPERTIES EXPORT_NAME ${name} OUTPUT_NAME conf_${name})
  add_dependencies(libconf_${name} libconf_check_layers)
  set_property(GLOBAL APPEND PROPERTY LIBCONF_LAYERS libconf_${name})
endfunction()

# libconf_add_test(<name> SOURCES ... [LIBS ...] [LABELS ...] [TIMEOUT s]
#                  [FIXTURES <fixture>] [ENVIRONMENT VAR=value])
# FIXTURES names a CTest fixture every test of the binary requires (for example
# one made by libconf_pg_fixture); ENVIRONMENT is set for each test.
function(libconf_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT;FIXTURES;ENVIRONMENT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} libconf_test_support GTest::gtest GTest::gtest_main)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/tests)
  target_compile_options(${name} PRIVATE -Wall -Wextra)
  include(GoogleTest)
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set(props TIMEOUT ${ARG_TIMEOUT} LABELS "${ARG_LABELS}")
  if(ARG_FIXTURES)
    list(APPEND props FIXTURES_REQUIRED ${ARG_FIXTURES})
  endif()
  if(ARG_ENVIRONMENT)
    list(APPEND props ENVIRONMENT "${ARG_ENVIRONMENT}")
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES ${props})
endfunction()

# libconf_pg_fixture(<name> STATE_VAR <var>)
# A CTest fixture <name>: the test <name>.start starts one throw-away PostgreSQL
# server (tests/support/pg_server.hpp) before the tests that require the
# fixture, <name>.stop stops and removes it after them, also when they failed.
# Sets <var> to the state file the tests attach to (pass it to them as
# LIBCONF_TEST_PG_STATE). Needs LIBCONF_WITH_POSTGRES.
function(libconf_pg_fixture name)
  cmake_parse_arguments(ARG "" "STATE_VAR" "" ${ARGN})
  set(state ${CMAKE_CURRENT_BINARY_DIR}/${name}.pgstate)
  add_test(NAME ${name}.start COMMAND libconf_pg_server start ${state})
  add_test(NAME ${name}.stop COMMAND libconf_pg_server stop ${state})
  set_tests_properties(${name}.start PROPERTIES FIXTURES_SETUP ${name} TIMEOUT 120)
  set_tests_properties(${name}.stop PROPERTIES FIXTURES_CLEANUP ${name} TIMEOUT 120)
  set(${ARG_STATE_VAR} ${state} PARENT_SCOPE)
endfunction()

# libconf_add_bench(<name> SOURCES ... [LIBS ...])
function(libconf_add_bench name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} benchmark::benchmark)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/tests)
endfunction()
