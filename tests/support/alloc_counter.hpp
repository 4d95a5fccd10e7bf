#pragma once
// The one allocation counter of the tests and benchmarks: proves that a frame
// path allocates nothing. Linking it (libconf_test_support) replaces global
// operator new and, where the platform allows, malloc/calloc/realloc, so heap
// use by C libraries (libsrtp, libopus, oRTP) is seen too.
//
//   libconf::test::AllocationScope scope;
//   mixer.mix();
//   EXPECT_EQ(scope.count(), 0u);
//
// Under AddressSanitizer or ThreadSanitizer (which own malloc) only operator
// new is counted: malloc_counting_available() is false there.

#include <cstddef>

namespace libconf::test {

/// True when malloc/calloc/realloc are counted as well as operator new.
bool malloc_counting_available() noexcept;
/// Heap allocations made by this thread since it started.
std::size_t thread_allocation_count() noexcept;
/// Of those, the ones made through operator new (C++ code, not C libraries).
std::size_t thread_new_count() noexcept;
/// Heap allocations made by every thread since the process started.
std::size_t process_allocation_count() noexcept;
/// The largest single allocation (bytes) made by this thread since the last
/// reset_thread_largest_allocation().
std::size_t thread_largest_allocation() noexcept;
void reset_thread_largest_allocation() noexcept;

/// Allocations by this thread since construction.
class AllocationScope {
 public:
  AllocationScope() noexcept : start_(thread_allocation_count()), start_new_(thread_new_count()) {}
  std::size_t count() const noexcept { return thread_allocation_count() - start_; }
  /// Only operator new (what C++ code allocated).
  std::size_t new_count() const noexcept { return thread_new_count() - start_new_; }

 private:
  std::size_t start_;
  std::size_t start_new_;
};

/// Allocations by every thread since construction (worker threads included).
class ProcessAllocationScope {
 public:
  ProcessAllocationScope() noexcept : start_(process_allocation_count()) {}
  std::size_t count() const noexcept { return process_allocation_count() - start_; }

 private:
  std::size_t start_;
};

}  // namespace libconf::test
