// confcall — a command-line SIP caller on libconf's SIP layer: dials (or
// answers), plays a file as its voice, sends DTMF, records what it hears and
// prints what happened. Exit codes and options: see --help (options.cpp).
#include <boost/json.hpp>

#include <cstdio>
#include <iostream>

#include "call.hpp"
#include "libconf/scenario/audio_file.hpp"
#include "options.hpp"

namespace {

using namespace confcall;

double round2(double v) { return static_cast<double>(static_cast<long long>(v * 100.0 + (v < 0 ? -0.5 : 0.5))) / 100.0; }

boost::json::object summary(const Options& o, const CallResult& r) {
  boost::json::object j;
  j["result"] = r.exit_code == 0 ? "completed" : (r.exit_code == 1 ? "failed" : "error");
  j["exit_code"] = r.exit_code;
  if (!r.error.empty()) j["error"] = r.error;
  boost::json::object sip;
  sip["mode"] = o.listen ? "listen" : "dial";
  sip["transport"] = std::string(libconf::sip::to_string(o.transport));
  sip["call_id"] = r.sip_call_id;
  sip["remote"] = r.remote;
  boost::json::array provisional;
  for (int s : r.provisional) provisional.push_back(s);
  sip["provisional"] = provisional;
  sip["final_status"] = r.final_status;
  sip["final_reason"] = r.final_reason;
  sip["answered"] = r.answered;
  sip["answer_after_s"] = round2(r.answer_after_s);
  sip["ended_by"] = r.ended_by;
  sip["end_status"] = r.end_status;
  sip["end_reason"] = r.end_reason;
  if (o.do_register) sip["registration_status"] = r.registration_status;
  sip["session_refreshes"] = r.session_refreshes;
  sip["hold_changes"] = r.hold_changes;
  j["sip"] = sip;
  j["call_s"] = round2(r.call_s);
  if (r.media) {
    const auto& m = *r.media;
    boost::json::object media;
    media["codec"] = m.codec;
    media["payload_type"] = m.payload_type;
    media["clock_rate_hz"] = m.clock_rate_hz;
    media["telephone_event_pt"] = m.telephone_event_pt;
    media["ptime_ms"] = m.ptime_ms;
    media["srtp"] = m.local_crypto ? boost::json::value(std::string(libconf::transport::sdes_suite_name(m.local_crypto->keys.profile)))
                                   : boost::json::value(nullptr);
    media["remote"] = m.remote_address + ":" + std::to_string(m.remote_port);
    media["direction"] = std::string(libconf::sip::to_string(m.direction));
    j["media"] = media;
  }
  if (r.report) {
    const auto& rep = *r.report;
    boost::json::object rtp;
    rtp["packets_sent"] = rep.rtp.packets_sent;
    rtp["packets_received"] = rep.rtp.packets_received;
    rtp["packets_lost"] = rep.rtp.packets_lost;
    const double expected = static_cast<double>(rep.rtp.packets_received) + std::max<double>(0.0, static_cast<double>(rep.rtp.packets_lost));
    rtp["loss_percent"] = expected > 0 ? round2(100.0 * std::max<double>(0.0, static_cast<double>(rep.rtp.packets_lost)) / expected) : 0.0;
    rtp["jitter_ms"] = round2(rep.rtp.jitter_ms);
    rtp["rtt_ms"] = round2(rep.rtp.rtt_ms);
    rtp["srtp_auth_failures"] = rep.rtp.authentication_failed_dropped;
    rtp["wrong_payload_type"] = rep.rtp.wrong_payload_type_dropped;
    rtp["late_ticks"] = rep.late_ticks;
    rtp["ticks"] = rep.ticks;
    j["rtp"] = rtp;
    boost::json::object heard;
    heard["level_dbfs"] = round2(rep.level_dbfs);
    heard["speech_level_dbfs"] = round2(rep.speech_level_dbfs);
    heard["speech_s"] = round2(rep.speech_s);
    heard["first_speech_s"] = round2(rep.first_speech_s);
    boost::json::array segments;
    for (const auto& [a, b] : rep.speech_segments) segments.push_back(boost::json::array{round2(a), round2(b)});
    heard["speech_segments"] = segments;
    heard["media_s"] = round2(rep.media_s);
    heard["pcm_rate_hz"] = rep.pcm_rate_hz;
    if (!o.record.empty()) heard["recorded"] = o.record;
    j["heard"] = heard;
    boost::json::object digits;
    digits["mode"] = o.dtmf == DtmfMode::rfc4733 ? "rfc4733" : (o.dtmf == DtmfMode::inband ? "inband" : "info");
    digits["sent"] = rep.digits_sent;
    digits["received_rfc4733"] = rep.digits_received_rfc4733;
    digits["received_info"] = r.digits_received_info;
    digits["heard_inband"] = rep.digits_heard_inband;
    j["digits"] = digits;
    if (!rep.error.empty()) j["media_error"] = rep.error;
  }
  return j;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    options = parse_options(argc, argv);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "confcall: %s\n", e.what());
    return 2;
  }
  if (options.help) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  std::vector<std::int16_t> voice;
  int voice_rate = 8000;
  try {
    if (!options.play.empty()) {
      auto audio = libconf::scenario::read_audio_file(options.play);
      voice = std::move(audio.samples);
      voice_rate = audio.sample_rate_hz;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "confcall: --play: %s\n", e.what());
    return 3;
  }
  CallResult result;
  try {
    CallController controller(options, std::move(voice), voice_rate);
    result = controller.run();
  } catch (const std::exception& e) {
    result.exit_code = 3;
    result.error = e.what();
  }
  if (result.report && !options.record.empty()) {
    try {
      libconf::scenario::write_wav(options.record, result.report->recording, result.report->pcm_rate_hz);
    } catch (const std::exception& e) {
      result.error = std::string("--record: ") + e.what();
      result.exit_code = 3;
    }
  }
  if (!result.error.empty()) std::fprintf(stderr, "confcall: %s\n", result.error.c_str());
  if (options.json) std::cout << boost::json::serialize(summary(options, result)) << std::endl;
  return result.exit_code;
}
