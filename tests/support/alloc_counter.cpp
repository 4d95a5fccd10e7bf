#include "support/alloc_counter.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LIBCONF_TEST_MALLOC_HOOK 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define LIBCONF_TEST_MALLOC_HOOK 0
#endif
#endif
#ifndef LIBCONF_TEST_MALLOC_HOOK
#define LIBCONF_TEST_MALLOC_HOOK 1
#endif

namespace {
thread_local std::size_t t_allocations = 0;
thread_local std::size_t t_largest = 0;
thread_local std::size_t t_news = 0;
std::atomic<std::size_t> g_allocations{0};

void count(std::size_t size) noexcept {
  ++t_allocations;
  if (size > t_largest) t_largest = size;
  g_allocations.fetch_add(1, std::memory_order_relaxed);
}

void* counted_new(std::size_t size, std::size_t align) {
  ++t_news;
  if (size == 0) size = 1;
  void* p = nullptr;
  if (align > alignof(std::max_align_t)) {
    count(size);  // aligned_alloc does not pass through the malloc hook
    p = std::aligned_alloc(align, (size + align - 1) / align * align);
  } else {
    if (!LIBCONF_TEST_MALLOC_HOOK) count(size);  // else malloc() below counts it
    p = std::malloc(size);
  }
  if (!p) throw std::bad_alloc();
  return p;
}
}  // namespace

namespace libconf::test {
bool malloc_counting_available() noexcept { return LIBCONF_TEST_MALLOC_HOOK != 0; }
std::size_t thread_allocation_count() noexcept { return t_allocations; }
std::size_t thread_new_count() noexcept { return t_news; }
std::size_t process_allocation_count() noexcept { return g_allocations.load(std::memory_order_relaxed); }
std::size_t thread_largest_allocation() noexcept { return t_largest; }
void reset_thread_largest_allocation() noexcept { t_largest = 0; }
}  // namespace libconf::test

#if LIBCONF_TEST_MALLOC_HOOK
// glibc's own entry points, under the names glibc exports for this purpose.
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);

void* malloc(std::size_t n) {
  count(n);
  return __libc_malloc(n);
}
void* calloc(std::size_t a, std::size_t b) {
  count(a * b);
  return __libc_calloc(a, b);
}
void* realloc(void* p, std::size_t n) {
  count(n);
  return __libc_realloc(p, n);
}
}
#endif

void* operator new(std::size_t size) { return counted_new(size, alignof(std::max_align_t)); }
void* operator new[](std::size_t size) { return counted_new(size, alignof(std::max_align_t)); }
void* operator new(std::size_t size, std::align_val_t a) { return counted_new(size, static_cast<std::size_t>(a)); }
void* operator new[](std::size_t size, std::align_val_t a) { return counted_new(size, static_cast<std::size_t>(a)); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try { return counted_new(size, alignof(std::max_align_t)); } catch (...) { return nullptr; }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  try { return counted_new(size, alignof(std::max_align_t)); } catch (...) { return nullptr; }
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
