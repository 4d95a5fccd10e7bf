#pragma once
// confcall's command line: every option, its default, and the parser that
// names a bad value.

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "libconf/sip/user_agent.hpp"
#include "libconf/transport/srtp.hpp"

namespace confcall {

/// A bad command line: what() names the option and the value.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class DtmfMode { rfc4733, inband, info };

struct Options {
  bool help = false;
  bool listen = false;                 // answer an incoming call instead of dialling
  std::string target;                  // sip:... (dialling)

  // SIP
  libconf::sip::Transport transport = libconf::sip::Transport::udp;
  std::string bind = "127.0.0.1";      // local SIP (and default RTP) address
  int port = -1;                       // -1: 0 when dialling, 5070 with --listen
  std::string from_user = "confcall";
  std::string display_name;
  std::string user, password;          // digest credentials (--user/--password)
  bool do_register = false;
  std::string registrar;               // default: the target's host and port
  int register_expires_s = 600;
  std::string tls_cert, tls_key, tls_ca;
  bool tls_insecure = false;
  bool late_offer = false;
  double dial_timeout_s = 30.0;
  double answer_after_s = 0.0;         // --listen: ring this long, then answer
  int reject_status = 0;               // --listen: refuse with this status instead
  std::vector<std::string> trusted = {"127.0.0.0/8", "::1/128"};

  // Media
  std::vector<std::string> codecs = {"PCMU", "PCMA", "opus"};
  std::vector<int> te_rates = {8000, 48000};
  int ptime_ms = 20;
  std::optional<libconf::transport::SrtpProfile> srtp;  // required when set
  std::string rtp_ip;                  // default: bind
  int rtp_port = 0;                    // 0: a free even port
  std::string advertise_ip;            // RTP address written in SDP (NAT, relays); default rtp_ip
  int advertise_port = 0;              // 0: the bound port

  // What we send
  std::string play;                    // audio file (any libsndfile format)
  bool loop_play = false;
  std::string digits;                  // e.g. "1000#,,1234#"
  double digits_at_s = 1.0;            // after answer
  DtmfMode dtmf = DtmfMode::rfc4733;
  int pause_ms = 500;                  // per ','
  int digit_ms = 100;                  // tone / event duration
  int gap_ms = 100;                    // silence after each digit
  double hold_at_s = -1, unhold_at_s = -1;

  // What we hear, and the end
  std::string record;                  // WAV of what we hear
  double duration_s = -1;              // hang up this long after answer; -1: when the peer does
  double max_duration_s = 3600;
  bool json = false;
  bool quiet = false;
  bool verbose = false;
};

/// Throws UsageError naming the option and the bad value.
Options parse_options(int argc, char** argv);

extern const char* const kHelp;

}  // namespace confcall
