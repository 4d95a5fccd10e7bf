#pragma once
// Counts every malloc/calloc/realloc of this thread (glibc), including those
// C libraries make, which support/alloc_counter.hpp (operator new) cannot see.
// Not available under AddressSanitizer, which owns malloc: available() is false.

#include <cstddef>

namespace libconf::transport::testing {

bool malloc_counting_available() noexcept;
std::size_t thread_malloc_count() noexcept;

}  // namespace libconf::transport::testing
