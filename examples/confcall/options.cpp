#include "options.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace confcall {

const char* const kHelp = R"(confcall — a command-line SIP caller built on libconf's SIP layer

Usage:
  confcall [options] SIP-URI          dial, talk, hang up
  confcall --listen [options]         answer the first incoming call (a callee for dial-out tests)
  confcall --help

It plays an audio file as its voice, sends DTMF (RFC 4733, in-band tones or
SIP INFO), records what it hears to WAV and prints what happened (--json).
Media runs on libconf's own RTP/SRTP transport, codecs and jitter buffer, on
a 20 ms paced thread; SIP runs on belle-sip.

SIP:
  -t, --transport udp|tcp|tls   transport (default udp; the URI's ;transport= wins)
  -b, --bind ADDR               local SIP address (default 127.0.0.1; IPv6 works)
  -p, --port N                  local SIP port (default: any when dialling, 5070 with --listen)
      --from USER               our user part / caller ID (default confcall)
      --display NAME            our display name
  -u, --user NAME               digest user (answers 401/407; with --register, the AOR user)
  -w, --password PW             digest password
  -r, --register                REGISTER first (digest), then dial; unregister at the end
      --registrar URI           default: sip:<host:port of the target>
      --expires S               registration expiry asked for (default 600)
      --tls-cert FILE --tls-key FILE   our certificate (needed for --listen over TLS)
      --tls-ca FILE             roots that verify the server; --tls-insecure accepts any
      --late-offer              INVITE without SDP (the answerer offers)
      --timeout S               give up (CANCEL) when unanswered after S seconds (default 30)
      --answer-after S          --listen: send 180, answer after S seconds (default 0)
      --reject CODE             --listen: refuse the call with CODE (e.g. 486)

Media:
  -c, --codecs LIST             pcmu,pcma,opus in order of preference (default pcmu,pcma,opus)
      --te-rate 8000|48000|both telephone-event clocks offered/accepted (default both)
      --ptime MS                10, 20, 40 or 60 (default 20)
      --srtp SUITE              require SDES SRTP: AES_CM_128_HMAC_SHA1_80,
                                AES_CM_128_HMAC_SHA1_32 or AEAD_AES_128_GCM
      --rtp-ip ADDR             local RTP address (default: --bind)
      --rtp-port N              local RTP port (default: a free even port)
      --advertise ADDR[:PORT]   RTP address and port written in our SDP (behind NAT or a relay)
      --hold-at S, --unhold-at S  re-INVITE sendonly / sendrecv S seconds after answer

What we send:
      --play FILE               our voice: WAV, FLAC, Ogg... (libsndfile), any rate
      --loop-play               repeat it
  -d, --digits STR              digits to send, e.g. "1000#,,1234#" (',' = a pause)
      --digits-at S             start them S seconds after answer (default 1)
      --dtmf rfc4733|inband|info  how (default rfc4733)
      --pause-ms MS             length of one ',' (default 500)
      --digit-ms MS             tone/event length (default 100), --gap-ms MS silence after it (default 100)

What we hear, and the end:
  -o, --record FILE.wav         record what we hear
      --duration S              hang up S seconds after answer (default: when the peer hangs up)
      --max-duration S          never stay longer (default 3600)
      --json                    print a JSON summary on stdout
  -q, --quiet                   no progress lines on stderr
  -v, --verbose                 SIP log lines on stderr

Exit status:
  0  the call was answered and ended normally (or by --duration)
  1  the call failed: refused, unanswered, cancelled, media not agreed (SIP status in the summary)
  2  bad command line (the message names the option and value)
  3  could not run: a file unreadable, a port taken, registration refused

Examples:
  confcall sip:1000@127.0.0.1:5060 --play voice.wav --duration 20 --record heard.wav --json
  confcall sip:100@127.0.0.1 --codecs opus --te-rate 48000 -d "1000#,,1234#" --digits-at 2
  confcall sip:100@pbx.example;transport=tls --srtp AEAD_AES_128_GCM --tls-ca ca.pem
  confcall sip:100@127.0.0.1 -u alice -w s3cret -r --dtmf info -d 1234#
  confcall --listen -p 5080 --play answer.wav --record caller.wav --json
)";

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

double to_seconds(const std::string& option, const std::string& v, double min, double max) {
  double out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size() || !std::isfinite(out) || out < min || out > max) {
    throw UsageError(option + " '" + v + "': not a number of seconds in " + std::to_string(min).substr(0, 5) + ".." +
                     std::to_string(max).substr(0, 7));
  }
  return out;
}

int to_int(const std::string& option, const std::string& v, int min, int max) {
  int out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size() || out < min || out > max) {
    throw UsageError(option + " '" + v + "': not a whole number in " + std::to_string(min) + ".." + std::to_string(max));
  }
  return out;
}

}  // namespace

Options parse_options(int argc, char** argv) {
  Options o;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw UsageError(a + ": needs a value");
      return args[++i];
    };
    if (a == "-h" || a == "--help") {
      o.help = true;
    } else if (a == "--listen") {
      o.listen = true;
    } else if (a == "-t" || a == "--transport") {
      const std::string v = value();
      auto t = libconf::sip::transport_from_name(v);
      if (!t) throw UsageError(a + " '" + v + "': not udp, tcp or tls");
      o.transport = *t;
    } else if (a == "-b" || a == "--bind") {
      o.bind = value();
    } else if (a == "-p" || a == "--port") {
      o.port = to_int(a, value(), 0, 65535);
    } else if (a == "--from") {
      o.from_user = value();
    } else if (a == "--display") {
      o.display_name = value();
    } else if (a == "-u" || a == "--user") {
      o.user = value();
    } else if (a == "-w" || a == "--password") {
      o.password = value();
    } else if (a == "-r" || a == "--register") {
      o.do_register = true;
    } else if (a == "--registrar") {
      o.registrar = value();
    } else if (a == "--expires") {
      o.register_expires_s = to_int(a, value(), 60, 86400);
    } else if (a == "--tls-cert") {
      o.tls_cert = value();
    } else if (a == "--tls-key") {
      o.tls_key = value();
    } else if (a == "--tls-ca") {
      o.tls_ca = value();
    } else if (a == "--tls-insecure") {
      o.tls_insecure = true;
    } else if (a == "--late-offer") {
      o.late_offer = true;
    } else if (a == "--timeout") {
      o.dial_timeout_s = to_seconds(a, value(), 1, 3600);
    } else if (a == "--answer-after") {
      o.answer_after_s = to_seconds(a, value(), 0, 600);
    } else if (a == "--reject") {
      o.reject_status = to_int(a, value(), 400, 699);
    } else if (a == "-c" || a == "--codecs") {
      const std::string v = value();
      o.codecs.clear();
      std::size_t pos = 0;
      while (pos <= v.size()) {
        auto end = v.find(',', pos);
        if (end == std::string::npos) end = v.size();
        const std::string name = lower(v.substr(pos, end - pos));
        if (name == "pcmu") {
          o.codecs.push_back("PCMU");
        } else if (name == "pcma") {
          o.codecs.push_back("PCMA");
        } else if (name == "opus") {
          o.codecs.push_back("opus");
        } else {
          throw UsageError(a + " '" + v + "': '" + name + "' is not pcmu, pcma or opus");
        }
        pos = end + 1;
      }
    } else if (a == "--te-rate") {
      const std::string v = value();
      if (v == "both") {
        o.te_rates = {8000, 48000};
      } else if (v == "none") {
        o.te_rates.clear();
      } else {
        o.te_rates = {to_int(a, v, 8000, 48000)};
        if (o.te_rates[0] != 8000 && o.te_rates[0] != 48000) throw UsageError(a + " '" + v + "': not 8000, 48000, both or none");
      }
    } else if (a == "--ptime") {
      o.ptime_ms = to_int(a, value(), 10, 60);
      if (o.ptime_ms != 10 && o.ptime_ms != 20 && o.ptime_ms != 40 && o.ptime_ms != 60) {
        throw UsageError(a + " '" + std::to_string(o.ptime_ms) + "': not 10, 20, 40 or 60");
      }
    } else if (a == "--srtp") {
      const std::string v = value();
      auto p = libconf::transport::srtp_profile_from_name(v);
      if (!p) throw UsageError(a + " '" + v + "': not AES_CM_128_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_32 or AEAD_AES_128_GCM");
      o.srtp = *p;
    } else if (a == "--rtp-ip") {
      o.rtp_ip = value();
    } else if (a == "--rtp-port") {
      o.rtp_port = to_int(a, value(), 1024, 65534);
      if (o.rtp_port % 2 != 0) throw UsageError(a + " '" + std::to_string(o.rtp_port) + "': RTP ports are even");
    } else if (a == "--advertise") {
      const std::string v = value();
      const auto colon = v.rfind(':');
      const bool has_port = colon != std::string::npos && v.find(':') == colon;  // IPv6 has several ':'
      o.advertise_ip = has_port ? v.substr(0, colon) : v;
      if (has_port) o.advertise_port = to_int(a, v.substr(colon + 1), 1, 65535);
    } else if (a == "--hold-at") {
      o.hold_at_s = to_seconds(a, value(), 0, 86400);
    } else if (a == "--unhold-at") {
      o.unhold_at_s = to_seconds(a, value(), 0, 86400);
    } else if (a == "--play") {
      o.play = value();
    } else if (a == "--loop-play") {
      o.loop_play = true;
    } else if (a == "-d" || a == "--digits") {
      o.digits = value();
    } else if (a == "--digits-at") {
      o.digits_at_s = to_seconds(a, value(), 0, 3600);
    } else if (a == "--dtmf") {
      const std::string v = lower(value());
      if (v == "rfc4733") {
        o.dtmf = DtmfMode::rfc4733;
      } else if (v == "inband") {
        o.dtmf = DtmfMode::inband;
      } else if (v == "info") {
        o.dtmf = DtmfMode::info;
      } else {
        throw UsageError(a + " '" + v + "': not rfc4733, inband or info");
      }
    } else if (a == "--pause-ms") {
      o.pause_ms = to_int(a, value(), 1, 60000);
    } else if (a == "--digit-ms") {
      o.digit_ms = to_int(a, value(), 40, 5000);
    } else if (a == "--gap-ms") {
      o.gap_ms = to_int(a, value(), 0, 5000);
    } else if (a == "-o" || a == "--record") {
      o.record = value();
    } else if (a == "--duration") {
      o.duration_s = to_seconds(a, value(), 0.1, 86400);
    } else if (a == "--max-duration") {
      o.max_duration_s = to_seconds(a, value(), 1, 86400);
    } else if (a == "--json") {
      o.json = true;
    } else if (a == "-q" || a == "--quiet") {
      o.quiet = true;
    } else if (a == "-v" || a == "--verbose") {
      o.verbose = true;
    } else if (!a.empty() && a[0] == '-') {
      throw UsageError("unknown option '" + a + "' (see --help)");
    } else if (o.target.empty()) {
      o.target = a;
    } else {
      throw UsageError("unexpected argument '" + a + "' (the target is already '" + o.target + "')");
    }
  }
  if (o.help) return o;
  if (o.listen && !o.target.empty()) throw UsageError("--listen takes no target URI (got '" + o.target + "')");
  if (!o.listen && o.target.empty()) throw UsageError("no target: give a SIP URI to dial, or --listen (see --help)");
  if (!o.listen && !o.target.starts_with("sip:") && !o.target.starts_with("sips:")) {
    throw UsageError("target '" + o.target + "' is not a sip: or sips: URI");
  }
  if (o.do_register && (o.user.empty() || o.password.empty())) throw UsageError("--register needs --user and --password");
  if (o.listen && o.transport == libconf::sip::Transport::tls && (o.tls_cert.empty() || o.tls_key.empty())) {
    throw UsageError("--listen over tls needs --tls-cert and --tls-key");
  }
  for (char c : o.digits) {
    if (c != ',' && !std::isdigit(static_cast<unsigned char>(c)) && c != '*' && c != '#' &&
        !(std::toupper(static_cast<unsigned char>(c)) >= 'A' && std::toupper(static_cast<unsigned char>(c)) <= 'D')) {
      throw UsageError(std::string("--digits '") + o.digits + "': '" + c + "' is not a DTMF digit or ','");
    }
  }
  if (o.rtp_ip.empty()) o.rtp_ip = o.bind;
  if (o.port < 0) o.port = o.listen ? 5070 : 0;
  if (o.duration_s > o.max_duration_s) o.max_duration_s = o.duration_s;
  return o;
}

}  // namespace confcall
