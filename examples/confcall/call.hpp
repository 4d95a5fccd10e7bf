#pragma once
// confcall's SIP side: registers, dials or answers, starts the media when a
// session is agreed, follows re-INVITEs, hangs up on time, and collects what
// the summary reports. Runs on the UserAgent's control thread.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "libconf/sip/user_agent.hpp"
#include "libconf/transport/rtp_port_reservation.hpp"
#include "media.hpp"
#include "options.hpp"

namespace confcall {

struct CallResult {
  int exit_code = 0;
  std::string error;                 // exit 3: what could not run
  std::string sip_call_id;
  std::vector<int> provisional;      // 1xx statuses seen (dialling) or sent (listening)
  int final_status = 0;              // the INVITE's final status
  std::string final_reason;
  bool answered = false;
  std::string ended_by;              // EndCause name
  int end_status = 0;
  std::string end_reason;
  int registration_status = 0;
  std::string remote;                // who we talked to
  double answer_after_s = -1;        // from start to answer
  double call_s = 0;                 // from answer to the end
  std::string digits_received_info;
  std::optional<libconf::sip::MediaSession> media;
  std::optional<MediaReport> report;
  int session_refreshes = 0;
  int hold_changes = 0;
};

class CallController final : public libconf::sip::UserAgentHandler {
 public:
  CallController(const Options& options, std::vector<std::int16_t> voice, int voice_rate);
  ~CallController() override;
  /// Runs everything on this thread: returns when the call is over.
  CallResult run();

  void on_incoming_call(const libconf::sip::IncomingCall& call) override;
  void on_call_confirmed(libconf::sip::CallId call, const libconf::sip::MediaSession& media) override;
  void on_dial_progress(libconf::sip::CallId call, const libconf::sip::DialProgress& progress) override;
  void on_media_changed(libconf::sip::CallId call, const libconf::sip::MediaSession& media,
                        const libconf::sip::MediaChange& change) override;
  void on_dtmf(libconf::sip::CallId call, char digit, int duration_ms) override;
  void on_call_ended(libconf::sip::CallId call, const libconf::sip::CallEnd& end) override;
  void on_registration(const libconf::sip::RegistrationStatus& status) override;

 private:
  void say(const std::string& line) const;
  void dial();
  void answer_now(libconf::sip::CallId call);
  void start_media(const libconf::sip::MediaSession& session);
  void on_answered();
  void finish(int exit_code);
  std::uint16_t reserve_rtp_port();
  /// Our SDP address: the bound RTP port, or --advertise.
  libconf::sip::LocalMedia advertised(std::uint16_t port) const;

  Options options_;
  std::vector<std::int16_t> voice_;
  int voice_rate_;
  std::unique_ptr<libconf::sip::UserAgent> ua_;
  libconf::sip::CallId call_ = libconf::sip::kNoCall;
  libconf::sip::RegistrationId registration_ = 0;
  std::optional<libconf::transport::RtpPortReservation> reserved_;
  std::uint16_t rtp_port_ = 0;
  std::unique_ptr<MediaRunner> media_;
  std::int64_t start_ms_ = 0;
  std::int64_t answered_ms_ = -1;
  bool finished_ = false;
  bool unregistering_ = false;
  CallResult result_;
};

}  // namespace confcall
