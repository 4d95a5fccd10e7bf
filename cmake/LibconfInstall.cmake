include(CMakePackageConfigHelpers)
get_property(layers GLOBAL PROPERTY LIBCONF_LAYERS)
install(TARGETS libconf ${layers} EXPORT libconfTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(LIBCONF_WITH_POSTGRES)
  install(DIRECTORY include/libconf DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  set(pc_requires_extra " libpq")
  set(pc_cflags_extra " -DLIBCONF_HAS_POSTGRES=1")
else()
  install(DIRECTORY include/libconf DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} PATTERN pg_store.hpp EXCLUDE)
  set(pc_requires_extra "")
  set(pc_cflags_extra "")
endif()
install(EXPORT libconfTargets NAMESPACE libconf::
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/libconf)
configure_package_config_file(cmake/libconfConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/libconfConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/libconf)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/libconfConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/libconfConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/libconfConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/libconf)

# pkg-config: static layers, in link order (later layers first).
set(pc_libs "")
list(REVERSE layers)
foreach(l IN LISTS layers)
  if(NOT l STREQUAL "libconf_rtp" AND NOT l STREQUAL "libconf_sip")
    string(REPLACE "libconf_" "conf_" lname ${l})
    string(APPEND pc_libs " -l${lname}")
  endif()
endforeach()
# Instrumented static libraries need the sanitizer runtime at link time.
set(pc_sanitize "")
foreach(flag IN LISTS LIBCONF_SANITIZER_FLAGS)
  string(APPEND pc_sanitize " ${flag}")
endforeach()
# Relocatable: the prefix is found from the .pc file's own place.
file(RELATIVE_PATH pc_prefix_rel "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
configure_file(cmake/libconf.pc.in ${CMAKE_CURRENT_BINARY_DIR}/libconf.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/libconf.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
