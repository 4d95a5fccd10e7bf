# Every third-party library comes from a Debian package; docs/dependencies.md
# says why each was chosen and under which licence it comes.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
pkg_check_modules(OPUS REQUIRED IMPORTED_TARGET opus)
pkg_check_modules(SPEEXDSP REQUIRED IMPORTED_TARGET speexdsp)
pkg_check_modules(SNDFILE REQUIRED IMPORTED_TARGET sndfile)
pkg_check_modules(SRTP2 REQUIRED IMPORTED_TARGET libsrtp2)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
find_package(Boost 1.81.0 EXACT REQUIRED COMPONENTS json CONFIG)
if(LIBCONF_BUILD_RTP)
  pkg_check_modules(ORTP REQUIRED IMPORTED_TARGET ortp)
endif()
