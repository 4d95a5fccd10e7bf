#include "libconf/engine/detail/bounded_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace libconf::engine::detail {

TEST(BoundedQueue, FifoAndFull) {
  BoundedQueue<int> q(4);
  for (int i = 0; i < 4; ++i) {
    int v = i;
    ASSERT_TRUE(q.try_push(v));
  }
  int extra = 99;
  EXPECT_FALSE(q.try_push(extra));
  for (int i = 0; i < 4; ++i) {
    int v = -1;
    ASSERT_TRUE(q.try_pop(v));
    EXPECT_EQ(v, i);
  }
  int v;
  EXPECT_FALSE(q.try_pop(v));
}

TEST(BoundedQueue, ManyProducersOneConsumerLoseNothing) {
  BoundedQueue<int> q(1024);
  constexpr int kPerThread = 20000;
  std::vector<std::thread> producers;
  for (int t = 0; t < 3; ++t)
    producers.emplace_back([&q, t] {
      for (int i = 0; i < kPerThread; ++i) {
        int v = t * kPerThread + i;
        while (!q.try_push(v)) std::this_thread::yield();
      }
    });
  std::vector<int> seen(3 * kPerThread, 0);
  int got = 0;
  while (got < 3 * kPerThread) {
    int v;
    if (q.try_pop(v)) {
      ++seen[v];
      ++got;
    }
  }
  for (auto& p : producers) p.join();
  for (int c : seen) ASSERT_EQ(c, 1);
}
}  // namespace libconf::engine::detail
