# Enforces the layer table of docs/architecture.md: a file in layer L may
# include public headers of L and of the layers listed before L, never after.
# Run with -DLIBCONF_SOURCE_DIR=<repo>; fails naming the file, line and include.
set(order audio transport codec dsp jitter mix room ivr engine store service scenario rtp sip)
set(violations "")
foreach(layer IN LISTS order)
  list(FIND order ${layer} own_rank)
  file(GLOB_RECURSE files
    ${LIBCONF_SOURCE_DIR}/libconf/${layer}/*.hpp ${LIBCONF_SOURCE_DIR}/libconf/${layer}/*.cpp
    ${LIBCONF_SOURCE_DIR}/include/libconf/${layer}/*.hpp)
  foreach(f IN LISTS files)
    file(STRINGS ${f} lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]libconf/")
    foreach(line IN LISTS lines)
      string(REGEX MATCH "libconf/([a-z_]+)/" _ "${line}")
      set(target_layer "${CMAKE_MATCH_1}")
      if(target_layer STREQUAL "")
        continue()
      endif()
      list(FIND order ${target_layer} target_rank)
      if(target_rank GREATER own_rank)
        file(RELATIVE_PATH rel ${LIBCONF_SOURCE_DIR} ${f})
        string(APPEND violations "  ${rel}: '${line}' (layer '${layer}' may not use layer '${target_layer}')\n")
      endif()
    endforeach()
  endforeach()
endforeach()
if(violations)
  message(FATAL_ERROR "Layer rule broken (see docs/architecture.md):\n${violations}")
endif()
