#pragma once
/// @file
/// Mixer: the N-1 (mix-minus) conference mixer of one room.
///
/// Each tick the host writes every leg's frame into input(leg), reports its
/// talker state with set_voice(), and calls mix(). The mixer sums the selected
/// talkers once (at most top_n of them, picked by level with hysteresis), and
/// gives every listener that total minus its own contribution, plus any private
/// edges (whispers, per-source gains). Listeners whose mix is identical — every
/// non-talker without private edges — share one output (output_group() ==
/// kSharedGroup), so the host encodes it once per codec.
///
/// Cost per tick: O(N) bookkeeping plus O((top_n + unique mixes) × frame);
/// never O(N²). Capacity (legs, edges) is fixed at construction.
/// Threading: one thread only (the room's worker). Every method is real-time
/// safe (noexcept, no allocation, no locks) except the constructor.

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "libconf/error.hpp"
#include "libconf/mix/limiter.hpp"

namespace libconf::mix {

/// A mixer slot index (0 is a valid slot).
using LegId = std::uint32_t;
/// "No leg": the largest LegId, libconf's one convention for every "no such id".
inline constexpr LegId kInvalidLeg = std::numeric_limits<LegId>::max();

/// Output groups: listeners in the same group hear byte-identical audio.
inline constexpr std::uint32_t kSharedGroup = 0;   ///< the room total
inline constexpr std::uint32_t kSilentGroup = 1;   ///< deaf legs: silence
/// Any other group value is unique to one leg: kFirstUniqueGroup + leg id.
inline constexpr std::uint32_t kFirstUniqueGroup = 2;

struct MixerConfig {
  int sample_rate_hz = 16000;
  int ptime_ms = 20;
  std::size_t max_legs = 64;
  /// Talkers summed at most. 4 keeps a room intelligible and costs 4 frames
  /// of adds; more adds noise of people who only say "mhm".
  std::size_t top_n = 4;
  /// A new talker displaces the quietest selected one only when louder by this
  /// much, so two talkers of similar level do not flap in and out.
  float talker_hysteresis_db = 3.0f;
  /// Private edges (whispers + per-listener source gains) at most.
  std::size_t max_edges = 64;
  LimiterConfig limiter{};
};

/// Per-leg mixing flags and gains.
struct LegMixState {
  float talk_gain_db = 0.0f;    ///< applied to what the leg says
  float listen_gain_db = 0.0f;  ///< applied to what the leg hears
  bool muted = false;           ///< never contributes to the room
  bool deaf = false;            ///< hears nothing
  bool listen_only = false;     ///< hears the room, is heard by no one in it (listen-in)
};

class Mixer {
 public:
  /// Throws libconf::Error naming a bad rate, ptime, max_legs or top_n.
  explicit Mixer(const MixerConfig& config);

  const MixerConfig& config() const noexcept { return config_; }
  std::size_t frame_samples() const noexcept { return frame_; }
  std::size_t leg_count() const noexcept { return leg_count_; }

  /// Adds a leg (silent, not talking). Errors: capacity_exceeded.
  [[nodiscard]] Result<LegId> add_leg() noexcept;
  /// Removes a leg and every edge that names it. Errors: not_found.
  [[nodiscard]] Result<void> remove_leg(LegId leg) noexcept;
  bool contains(LegId leg) const noexcept;

  [[nodiscard]] Result<void> set_state(LegId leg, const LegMixState& state) noexcept;
  const LegMixState& state(LegId leg) const noexcept { return legs_[leg].state; }

  /// Whisper/coach: `from` is heard by `to` only (on top of what `to` hears
  /// from the room). If `from` is also a selected room talker, `to` still
  /// hears it once. Errors: not_found, invalid_argument (from == to),
  /// capacity_exceeded.
  [[nodiscard]] Result<void> add_whisper(LegId from, LegId to, float gain_db = 0.0f) noexcept;
  [[nodiscard]] Result<void> remove_whisper(LegId from, LegId to) noexcept;
  /// Listener `listener` hears `source` at gain_db relative to normal (0 dB
  /// removes the edge). Errors: not_found, invalid_argument, capacity_exceeded.
  [[nodiscard]] Result<void> set_source_gain(LegId listener, LegId source, float gain_db) noexcept;

  /// The leg's input frame for this tick (frame_samples() samples). Write it
  /// before mix(); unwritten, it keeps last tick's content.
  std::span<std::int16_t> input(LegId leg) noexcept;
  /// Talker detection result for this tick; level ranks talkers for top-N.
  void set_voice(LegId leg, bool talking, float level_dbfs) noexcept;

  /// Mixes one tick.
  void mix() noexcept;

  /// After mix(): the group of the leg's output (kSharedGroup, kSilentGroup or unique).
  std::uint32_t output_group(LegId leg) const noexcept { return legs_[leg].group; }
  /// After mix(): what the leg hears (the shared buffer for kSharedGroup).
  std::span<const std::int16_t> output(LegId leg) const noexcept;
  /// After mix(): what a listener without private edges hears (the room total,
  /// limited). Rendered on first use in a tick: a room of talkers only never
  /// pays for it unless someone (a recorder) asks.
  std::span<const std::int16_t> shared_output() noexcept;
  /// After mix(): the legs summed this tick (at most top_n).
  std::span<const LegId> selected_talkers() const noexcept { return {selected_.data(), selected_count_}; }
  bool is_selected(LegId leg) const noexcept { return legs_[leg].selected_slot >= 0; }

 private:
  struct Leg {
    bool active = false;
    LegMixState state;
    float talk_gain = 1.0f;
    float listen_gain = 1.0f;
    bool talking = false;
    float level_dbfs = -120.0f;
    int selected_slot = -1;     // index into contrib_ when summed this tick
    std::uint32_t group = kSilentGroup;
    std::uint16_t private_edges = 0;  // incoming edges that make the mix unique
    Limiter limiter;
  };
  struct Edge {
    LegId from = kInvalidLeg;  // source / whisperer
    LegId to = kInvalidLeg;    // listener
    float gain = 1.0f;         // whisper: gain of `from`; source edge: relative gain
    bool whisper = false;
  };

  void select_talkers() noexcept;
  bool eligible(const Leg& leg) const noexcept;
  void render_unique(LegId id) noexcept;
  Result<void> add_edge(const Edge& edge) noexcept;
  void remove_edge_at(std::size_t index) noexcept;

  MixerConfig config_;
  std::size_t frame_ = 0;
  std::size_t leg_count_ = 0;
  std::vector<Leg> legs_;
  std::vector<std::int16_t> inputs_;     // max_legs × frame
  std::vector<std::int16_t> outputs_;    // max_legs × frame (unique mixes)
  std::vector<float> contrib_;           // top_n × frame: selected talkers, gain applied
  std::vector<float> total_;             // frame
  std::vector<float> scratch_;           // frame
  std::vector<std::int16_t> shared_out_; // frame
  std::vector<std::int16_t> silence_;    // frame
  std::vector<LegId> selected_;          // top_n
  std::size_t selected_count_ = 0;
  std::vector<Edge> edges_;              // max_edges
  std::size_t edge_count_ = 0;
  Limiter shared_limiter_;
  bool shared_rendered_ = false;
};

}  // namespace libconf::mix
