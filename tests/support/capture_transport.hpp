#pragma once
// A MediaTransport for engine tests: delivers packets the test queues, and
// records what the engine sends (payload bytes and the pointer they came in,
// to prove that one shared encoded packet served many legs).

#include <cstdint>
#include <memory>
#include <vector>

#include "libconf/transport/media_transport.hpp"

namespace libconf::test {

struct CaptureLog {
  struct Sent {
    std::vector<std::uint8_t> bytes;
    const std::uint8_t* data = nullptr;
    std::uint64_t tick = 0;
  };
  std::vector<Sent> sent;
  std::uint64_t tick = 0;
};

class CaptureTransport final : public transport::MediaTransport {
 public:
  explicit CaptureTransport(std::shared_ptr<CaptureLog> log, bool record = true) : log_(std::move(log)), record_(record) {}
  void poll(transport::PacketSink&, std::int64_t) noexcept override {}
  void send(const transport::OutgoingFrame& frame) noexcept override {
    ++count_;
    if (record_) log_->sent.push_back({{frame.payload.begin(), frame.payload.end()}, frame.payload.data(), log_->tick});
  }
  std::uint64_t count() const { return count_; }

 private:
  std::shared_ptr<CaptureLog> log_;
  bool record_;
  std::uint64_t count_ = 0;
};

}  // namespace libconf::test
