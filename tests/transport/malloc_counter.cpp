#include "transport/malloc_counter.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define LIBCONF_TEST_NO_MALLOC_HOOK 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LIBCONF_TEST_NO_MALLOC_HOOK 1
#endif
#endif

namespace {
thread_local std::size_t t_mallocs = 0;
}

namespace libconf::transport::testing {
#ifdef LIBCONF_TEST_NO_MALLOC_HOOK
bool malloc_counting_available() noexcept { return false; }
#else
bool malloc_counting_available() noexcept { return true; }
#endif
std::size_t thread_malloc_count() noexcept { return t_mallocs; }
}  // namespace libconf::transport::testing

#ifndef LIBCONF_TEST_NO_MALLOC_HOOK
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);

void* malloc(std::size_t n) {
  ++t_mallocs;
  return __libc_malloc(n);
}
void* calloc(std::size_t a, std::size_t b) {
  ++t_mallocs;
  return __libc_calloc(a, b);
}
void* realloc(void* p, std::size_t n) {
  ++t_mallocs;
  return __libc_realloc(p, n);
}
}
#endif
