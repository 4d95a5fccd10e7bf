// Counts malloc/calloc/realloc calls of this process (glibc), so the bench can
// report heap allocations per tick including those C libraries make (oRTP's
// mblk_t, libsrtp), which operator-new counting cannot see.
#include <atomic>
#include <cstddef>

extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
}

namespace libconf::bench {
std::atomic<std::size_t> g_mallocs{0};
}

extern "C" void* malloc(std::size_t n) {
  libconf::bench::g_mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(n);
}
extern "C" void* calloc(std::size_t a, std::size_t b) {
  libconf::bench::g_mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_calloc(a, b);
}
extern "C" void* realloc(void* p, std::size_t n) {
  libconf::bench::g_mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_realloc(p, n);
}
