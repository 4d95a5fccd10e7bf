#pragma once
// Engine test bench: an Engine on a VirtualClock with phones played by
// scenario::FileTransport (each speaks an input and records what it hears).

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "libconf/codec/registry.hpp"
#include "libconf/engine/engine.hpp"
#include "libconf/scenario/file_transport.hpp"

namespace libconf::engine {

// A phone on a FileTransport: speaks `input` (at its codec rate) and records
// what it hears into `heard`.
struct Phone {
  std::vector<std::int16_t> input;
  std::vector<std::int16_t> heard;
  int rate = 8000;
};

struct Bench {
  std::shared_ptr<VirtualClock> clock = std::make_shared<VirtualClock>(0);
  codec::CodecRegistry codecs = codec::CodecRegistry::with_builtin_codecs();
  std::map<LegId, std::unique_ptr<Phone>> phones;  // outlive the engine's legs
  std::vector<Event> events;
  std::unique_ptr<Engine> engine;

  explicit Bench(std::size_t workers = 1, EngineConfig c = {}) {
    c.clock = clock;
    c.workers = workers;
    engine = std::make_unique<Engine>(std::move(c));
  }
  RoomId room(int rate = 16000, std::size_t max_legs = 64) {
    RoomConfig rc;
    rc.name = "r";
    rc.sample_rate_hz = rate;
    rc.max_legs = max_legs;
    return engine->create_room(rc).value();
  }
  LegId join(RoomId room, std::vector<std::int16_t> input, const std::string& codec = "PCMU", int rate = 8000,
             double seconds = 4.0, LegProcessing processing = {}) {
    auto phone = std::make_unique<Phone>();
    phone->input = std::move(input);
    phone->rate = rate;
    phone->heard.assign(static_cast<std::size_t>(seconds * rate), 0);
    codec::CodecParams p;
    p.sample_rate_hz = rate;
    p.ptime_ms = 20;
    LegConfig lc;
    lc.codec = codec;
    lc.codec_rate_hz = rate;
    lc.processing = processing;
    lc.transport = std::make_unique<scenario::FileTransport>(std::move(*codecs.create(codec, p)), std::move(*codecs.create(codec, p)),
                                                              phone->input, clock->now_us(), phone->heard, 0, 20);
    auto id = engine->add_leg(room, std::move(lc));
    EXPECT_TRUE(id);
    phones[*id] = std::move(phone);
    return *id;
  }
  void run(int ticks) {
    std::array<Event, 256> buf;
    for (int i = 0; i < ticks; ++i) {
      engine->tick().value();
      for (std::size_t n; (n = engine->poll_events(buf)) > 0;) events.insert(events.end(), buf.begin(), buf.begin() + n);
    }
  }
  int count(EventKind kind, LegId leg) const {
    return static_cast<int>(std::count_if(events.begin(), events.end(),
                                          [&](const Event& e) { return e.kind == kind && e.leg == leg; }));
  }
  std::span<const std::int16_t> heard(LegId leg, double from_s, double to_s) {
    Phone& p = *phones[leg];
    return std::span<const std::int16_t>(p.heard).subspan(static_cast<std::size_t>(from_s * p.rate),
                                                          static_cast<std::size_t>((to_s - from_s) * p.rate));
  }
};

// Steady test tones look like line noise to talker detection (by design: a
// stationary signal never counts as talking), so tone tests switch it off and
// the leg is mixed whenever it is not muted.
inline LegProcessing plain() {
  LegProcessing p;
  p.agc = false;
  p.talker_detection = false;
  return p;
}

inline LegProcessing speech() {
  LegProcessing p;
  p.agc = false;
  return p;
}

}  // namespace libconf::engine
