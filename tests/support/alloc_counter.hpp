#pragma once
// Counts heap allocations made by the current thread, to prove that a frame
// path allocates nothing. Linking this file replaces global operator new.
//
//   libconf::test::AllocationScope scope;
//   mixer.mix();
//   EXPECT_EQ(scope.count(), 0u);

#include <cstddef>

namespace libconf::test {

/// Allocations (operator new / new[]) made by this thread since the process began.
std::size_t thread_allocation_count() noexcept;
/// The largest single allocation (bytes) made by this thread since the last
/// reset_thread_largest_allocation().
std::size_t thread_largest_allocation() noexcept;
void reset_thread_largest_allocation() noexcept;

class AllocationScope {
 public:
  AllocationScope() noexcept : start_(thread_allocation_count()) {}
  std::size_t count() const noexcept { return thread_allocation_count() - start_; }

 private:
  std::size_t start_;
};

}  // namespace libconf::test
