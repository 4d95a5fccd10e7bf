#pragma once
// StatsCell: a leg's statistics, published by its worker every tick and read
// by any thread (Engine::leg_stats). A seqlock whose payload is itself made of
// relaxed atomic words, so every access is atomic and the C++ memory model
// (and ThreadSanitizer) can prove the reader never sees a torn value: the
// writer makes the sequence odd, stores the words, makes it even (release);
// the reader copies between two loads of an even, unchanged sequence.
// One writer; publish() is wait-free and real-time safe.

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <thread>
#include <type_traits>

#include "libconf/engine/leg_stats.hpp"

namespace libconf::engine::detail {

class StatsCell {
 public:
  StatsCell() noexcept { publish(LegStats{}); }

  void publish(const LegStats& s) noexcept {
    std::array<std::uint64_t, kWords> words{};
    std::memcpy(words.data(), &s, sizeof(LegStats));
    const std::uint64_t seq = sequence_.load(std::memory_order_relaxed);
    sequence_.store(seq + 1, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_release);  // the odd sequence is seen before any new word
    for (std::size_t i = 0; i < kWords; ++i) words_[i].store(words[i], std::memory_order_relaxed);
    sequence_.store(seq + 2, std::memory_order_release);
  }

  LegStats read() const noexcept {
    std::array<std::uint64_t, kWords> words{};
    for (unsigned attempt = 0;; ++attempt) {
      const std::uint64_t before = sequence_.load(std::memory_order_acquire);
      if ((before & 1u) == 0) {
        for (std::size_t i = 0; i < kWords; ++i) words[i] = words_[i].load(std::memory_order_relaxed);
        std::atomic_thread_fence(std::memory_order_acquire);  // the words are read before the second load
        if (sequence_.load(std::memory_order_relaxed) == before) break;
      }
      if (attempt > 64) std::this_thread::yield();  // the writer was preempted mid-publish
    }
    LegStats s;
    std::memcpy(static_cast<void*>(&s), words.data(), sizeof(LegStats));  // trivially copyable (asserted)
    return s;
  }

 private:
  static_assert(std::is_trivially_copyable_v<LegStats>);
  static constexpr std::size_t kWords = (sizeof(LegStats) + 7) / 8;
  std::atomic<std::uint64_t> sequence_{0};
  std::array<std::atomic<std::uint64_t>, kWords> words_{};
};

}  // namespace libconf::engine::detail
