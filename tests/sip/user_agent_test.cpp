// Two UserAgents talking to each other on loopback.
#include "libconf/sip/user_agent.hpp"

#include <gtest/gtest.h>

#include <stdlib.h>

#include <cstdlib>
#include <thread>

#include "sip/ua_harness.hpp"

namespace libconf::sip {
namespace {

using test::pump;
using test::pump_for;
using test::Recorder;

struct Pair {
  explicit Pair(Transport transport = Transport::udp, const std::string& address = "127.0.0.1",
                const std::function<void(UserAgentConfig&, UserAgentConfig&)>& tweak = {}) {
    auto ca = test::loopback_config(transport, address);
    auto cb = test::loopback_config(transport, address);
    if (tweak) tweak(ca, cb);
    a = std::make_unique<UserAgent>(ca, ra);
    b = std::make_unique<UserAgent>(cb, rb);
    ra.ua = a.get();
    rb.ua = b.get();
    ra.local = LocalMedia{address, 40000, 0};
    rb.local = LocalMedia{address, 40002, 0};
    this->transport = transport;
    this->address = address;
  }
  DialRequest request(const std::string& user = "1000") const {
    DialRequest r;
    r.target = test::uri_of(*b, transport, user, address);
    r.from_user = "alice";
    r.media = ra.local;
    return r;
  }
  CallId dial(const DialRequest& r) {
    auto id = a->dial(r);
    EXPECT_TRUE(id.has_value()) << id.failure().message;
    return id.has_value() ? *id : kNoCall;
  }
  bool wait(const std::function<bool()>& done, int timeout_ms = 5000) { return pump({a.get(), b.get()}, done, timeout_ms); }

  Recorder ra, rb;
  std::unique_ptr<UserAgent> a, b;
  Transport transport;
  std::string address;
};

/// Dials and waits until both sides are established. Returns (A's call, B's call).
std::pair<CallId, CallId> establish(Pair& p, const DialRequest& r) {
  const CallId call = p.dial(r);
  EXPECT_TRUE(p.wait([&] { return p.ra.has_progress(call, DialState::answered) && !p.rb.confirmed.empty(); }));
  return {call, p.rb.incoming.empty() ? kNoCall : p.rb.incoming.back().call};
}

void expect_basic_call(Pair& p) {
  p.rb.mode = Recorder::Mode::ring_then_answer;
  auto [a_call, b_call] = establish(p, p.request());
  ASSERT_EQ(p.rb.incoming.size(), 1u);
  const IncomingCall& in = p.rb.incoming[0];
  EXPECT_EQ(in.from_user, "alice");
  EXPECT_EQ(in.to_user, "1000");
  EXPECT_TRUE(in.trusted);
  EXPECT_EQ(in.transport, p.transport);
  ASSERT_TRUE(in.media.has_value());
  EXPECT_EQ(in.media->codec, "PCMU");
  EXPECT_EQ(in.media->remote_port, 40000);
  EXPECT_TRUE(p.ra.has_progress(a_call, DialState::ringing));
  const auto answered = p.ra.last_progress(a_call);
  ASSERT_TRUE(answered && answered->media);
  EXPECT_EQ(answered->sip_status, 200);
  EXPECT_EQ(answered->media->remote_port, 40002);
  EXPECT_EQ(answered->media->remote_address, p.address);
  ASSERT_NE(p.a->media(a_call), nullptr);
  EXPECT_EQ(p.a->info(a_call)->sip_call_id, in.sip_call_id);

  ASSERT_TRUE(p.a->hangup(a_call));
  ASSERT_TRUE(p.wait([&] { return p.ra.ended.contains(a_call) && p.rb.ended.contains(b_call); }));
  EXPECT_EQ(p.ra.ended[a_call].cause, EndCause::local_hangup);
  EXPECT_EQ(p.rb.ended[b_call].cause, EndCause::remote_hangup);
  EXPECT_NE(p.rb.ended[b_call].reason.find("Normal call clearing"), std::string::npos) << p.rb.ended[b_call].reason;
  EXPECT_EQ(p.a->call_count(), 0u);
  EXPECT_EQ(p.b->call_count(), 0u);
}

TEST(UserAgent, InviteRingingAnswerAckByeOverUdp) {
  Pair p(Transport::udp);
  expect_basic_call(p);
}

TEST(UserAgent, InviteRingingAnswerAckByeOverTcp) {
  Pair p(Transport::tcp);
  expect_basic_call(p);
}

TEST(UserAgent, InviteOverIpv6Loopback) {
  std::unique_ptr<Pair> p;
  try {
    p = std::make_unique<Pair>(Transport::udp, "::1");
  } catch (const Error& e) {
    GTEST_SKIP() << "no IPv6 loopback here: " << e.what();
  }
  expect_basic_call(*p);
}

// ---- TLS (a certificate made with openssl for this run) -------------------------------------

struct TlsFiles {
  std::string dir, cert, key, other_cert, other_key;
  TlsFiles() {
    char tmpl[] = "/tmp/libconf-tls-XXXXXX";
    dir = ::mkdtemp(tmpl);
    cert = dir + "/cert.pem";
    key = dir + "/key.pem";
    other_cert = dir + "/other.pem";
    other_key = dir + "/other-key.pem";
    const std::string make = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout ";
    ok = std::system((make + key + " -out " + cert + " >/dev/null 2>&1").c_str()) == 0 &&
         std::system((make + other_key + " -out " + other_cert + " >/dev/null 2>&1").c_str()) == 0;
  }
  ~TlsFiles() { std::system(("rm -rf " + dir).c_str()); }
  bool ok = false;
};

Pair tls_pair(const TlsFiles& files, const std::string& ca) {
  return Pair(Transport::tls, "127.0.0.1", [&](UserAgentConfig& a, UserAgentConfig& b) {
    a.tls = TlsConfig{"", "", ca, true};  // the caller only dials out, and checks the server
    b.tls = TlsConfig{files.cert, files.key, "", true};
  });
}

TEST(UserAgent, TlsCallBothWays) {
  TlsFiles files;
  ASSERT_TRUE(files.ok) << "openssl could not make a test certificate";
  Pair p = tls_pair(files, files.cert);
  ASSERT_NE(p.b->port(Transport::tls), 0);
  EXPECT_EQ(p.a->port(Transport::tls), 0) << "a client-only TLS listening point binds nothing";
  expect_basic_call(p);

  // The callee (TLS server side) sends requests over the accepted connection: re-INVITE and BYE.
  auto [a_call, b_call] = establish(p, p.request());
  ASSERT_TRUE(p.b->update_media(b_call, p.rb.local, MediaDirection::sendonly));
  ASSERT_TRUE(p.wait([&] { return p.ra.media_changes.size() == 1 && p.rb.media_changes.size() == 1; }));
  EXPECT_EQ(p.ra.media_after_change[0].direction, MediaDirection::recvonly);
  ASSERT_TRUE(p.b->send_info_dtmf(b_call, '7', 100));
  ASSERT_TRUE(p.wait([&] { return p.ra.digits.size() == 1; }));
  ASSERT_TRUE(p.b->hangup(b_call));
  ASSERT_TRUE(p.wait([&] { return p.ra.ended.contains(a_call) && p.rb.ended.contains(b_call); }));
  EXPECT_EQ(p.ra.ended[a_call].cause, EndCause::remote_hangup);
  EXPECT_EQ(p.rb.ended[b_call].cause, EndCause::local_hangup);
}

TEST(UserAgent, TlsWithAnUntrustedCertificateFails) {
  TlsFiles files;
  ASSERT_TRUE(files.ok);
  Pair p = tls_pair(files, files.other_cert);  // the caller trusts another certificate
  const CallId call = p.dial(p.request());
  ASSERT_TRUE(p.wait([&] { return p.ra.ended.contains(call); }, 10000));
  EXPECT_TRUE(p.rb.incoming.empty());
  EXPECT_EQ(p.ra.ended[call].cause, EndCause::transport_error);
}

TEST(UserAgent, TlsConfigErrorsNameTheFile) {
  Recorder r;
  auto c = test::loopback_config(Transport::tls);
  c.tls = TlsConfig{"/nonexistent/cert.pem", "/nonexistent/key.pem", "", true};
  try {
    UserAgent ua(c, r);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'/nonexistent/cert.pem'"), std::string::npos) << e.what();
  }
}

TEST(UserAgent, CalleeHangsUp) {
  Pair p;
  auto [a_call, b_call] = establish(p, p.request());
  ASSERT_TRUE(p.b->hangup(b_call, Hangup{17, "Going away", 480}));
  ASSERT_TRUE(p.wait([&] { return p.ra.ended.contains(a_call) && p.rb.ended.contains(b_call); }));
  EXPECT_EQ(p.ra.ended[a_call].cause, EndCause::remote_hangup);
  EXPECT_EQ(p.ra.ended[a_call].reason, "Going away (Q.850 cause 17)");
}

TEST(UserAgent, CallerCancelsWhileRinging) {
  Pair p;
  p.rb.mode = Recorder::Mode::ring;
  const CallId call = p.dial(p.request());
  ASSERT_TRUE(p.wait([&] { return p.ra.has_progress(call, DialState::ringing); }));
  ASSERT_TRUE(p.a->hangup(call));
  ASSERT_TRUE(p.wait([&] { return p.ra.ended.contains(call) && !p.rb.ended.empty(); }));
  EXPECT_EQ(p.rb.ended.begin()->second.cause, EndCause::cancelled);
  EXPECT_EQ(p.ra.ended[call].cause, EndCause::local_hangup);
  EXPECT_EQ(p.ra.ended[call].sip_status, 487);
}

TEST(UserAgent, DialTimeoutCancels) {
  Pair p;
  p.rb.mode = Recorder::Mode::ring;
  auto r = p.request();
  r.timeout_ms = 1000;
  const CallId call = p.dial(r);
  ASSERT_TRUE(p.wait([&] { return p.ra.ended.contains(call) && !p.rb.ended.empty(); }, 4000));
  EXPECT_EQ(p.ra.ended[call].cause, EndCause::no_answer);
  EXPECT_EQ(p.rb.ended.begin()->second.cause, EndCause::cancelled);
  const auto last = p.ra.last_progress(call);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->state, DialState::failed);
}

TEST(UserAgent, RejectReportsTheStatus) {
  Pair p;
  p.rb.mode = Recorder::Mode::reject;
  p.rb.reject_status = 486;
  const CallId call = p.dial(p.request());
  ASSERT_TRUE(p.wait([&] { return p.ra.ended.contains(call); }));
  EXPECT_EQ(p.ra.ended[call].cause, EndCause::rejected);
  EXPECT_EQ(p.ra.ended[call].sip_status, 486);
  EXPECT_EQ(p.ra.last_progress(call)->sip_status, 486);
}

TEST(UserAgent, UnacceptableOfferIs488WithTheReason) {
  Pair p;
  auto r = p.request();
  MediaPolicy g711;
  g711.codecs = {"PCMA"};
  r.policy = g711;
  p.b.reset();
  auto cb = test::loopback_config();
  cb.media.codecs = {"opus"};
  p.b = std::make_unique<UserAgent>(cb, p.rb);
  p.rb.ua = p.b.get();
  r.target = test::uri_of(*p.b, Transport::udp);
  const CallId call = p.dial(r);
  ASSERT_TRUE(p.wait([&] { return p.ra.ended.contains(call); }));
  EXPECT_EQ(p.ra.ended[call].sip_status, 488);
  EXPECT_TRUE(p.rb.incoming.empty());
}

TEST(UserAgent, LateOfferAnswerComesInTheAck) {
  Pair p;
  auto r = p.request();
  r.late_offer = true;
  const CallId call = p.dial(r);
  ASSERT_TRUE(p.wait([&] { return p.ra.has_progress(call, DialState::answered) && !p.rb.confirmed.empty(); }));
  ASSERT_EQ(p.rb.incoming.size(), 1u);
  EXPECT_FALSE(p.rb.incoming[0].media.has_value());
  const MediaSession& b_media = p.rb.confirmed[0].second;
  EXPECT_EQ(b_media.remote_port, 40000);
  const MediaSession* a_media = p.a->media(call);
  ASSERT_NE(a_media, nullptr);
  EXPECT_EQ(a_media->remote_port, 40002);
  EXPECT_EQ(a_media->codec, b_media.codec);
}

TEST(UserAgent, EarlyMediaBeforeAnswer) {
  Pair p;
  p.rb.mode = Recorder::Mode::early_then_answer;
  const CallId call = p.dial(p.request());
  ASSERT_TRUE(p.wait([&] { return p.ra.has_progress(call, DialState::answered); }));
  ASSERT_TRUE(p.ra.has_progress(call, DialState::early_media));
  for (const auto& [c, pr] : p.ra.progress) {
    if (pr.state == DialState::early_media) {
      ASSERT_TRUE(pr.media);
      EXPECT_EQ(pr.media->remote_port, 40002);
    }
  }
}

TEST(UserAgent, ReliableProvisionalWithPrack) {
  Pair p(Transport::udp, "127.0.0.1", [](UserAgentConfig&, UserAgentConfig& b) { b.prefer_reliable_provisional = true; });
  p.rb.mode = Recorder::Mode::early_then_answer;  // 183 and 200 at once: the 200 waits for the PRACK
  std::vector<std::string> b_log;
  const CallId call = p.dial(p.request());
  ASSERT_TRUE(p.wait([&] { return p.ra.has_progress(call, DialState::answered) && !p.rb.confirmed.empty(); }));
  ASSERT_EQ(p.rb.incoming.size(), 1u);
  EXPECT_TRUE(p.rb.incoming[0].reliable_provisional);
  EXPECT_TRUE(p.ra.has_progress(call, DialState::early_media));
}

TEST(UserAgent, ReliableRingingThenEarlyMediaThenAnswerInOrder) {
  Pair p(Transport::udp, "127.0.0.1", [](UserAgentConfig&, UserAgentConfig& b) { b.prefer_reliable_provisional = true; });
  p.rb.mode = Recorder::Mode::nothing;
  const CallId call = p.dial(p.request());
  ASSERT_TRUE(p.wait([&] { return p.rb.incoming.size() == 1; }));
  const CallId in = p.rb.incoming[0].call;
  ASSERT_TRUE(p.b->ringing(in));
  ASSERT_TRUE(p.b->early_media(in, p.rb.local));  // waits for the 180's PRACK
  ASSERT_TRUE(p.b->answer(in, p.rb.local));       // waits for the 183's PRACK
  ASSERT_TRUE(p.wait([&] { return p.ra.has_progress(call, DialState::answered); }));
  std::vector<DialState> states;
  for (const auto& [c, pr] : p.ra.progress) states.push_back(pr.state);
  EXPECT_EQ(states, (std::vector<DialState>{DialState::ringing, DialState::early_media, DialState::answered}));
}

TEST(UserAgent, ReinviteHoldAndUnhold) {
  Pair p;
  auto [a_call, b_call] = establish(p, p.request());
  ASSERT_TRUE(p.a->update_media(a_call, p.ra.local, MediaDirection::sendonly));
  ASSERT_TRUE(p.wait([&] { return p.ra.media_changes.size() == 1 && p.rb.media_changes.size() == 1; }));
  EXPECT_TRUE(p.rb.media_changes[0].second.direction);
  EXPECT_FALSE(p.rb.media_changes[0].second.codec);
  EXPECT_EQ(p.rb.media_after_change[0].direction, MediaDirection::recvonly);
  EXPECT_EQ(p.ra.media_after_change[0].direction, MediaDirection::sendonly);

  ASSERT_TRUE(p.a->update_media(a_call, p.ra.local, MediaDirection::sendrecv));
  ASSERT_TRUE(p.wait([&] { return p.ra.media_changes.size() == 2 && p.rb.media_changes.size() == 2; }));
  EXPECT_EQ(p.rb.media_after_change[1].direction, MediaDirection::sendrecv);
  EXPECT_EQ(p.ra.media_after_change[1].direction, MediaDirection::sendrecv);

  // A new address: the peer sees remote_address change only.
  ASSERT_TRUE(p.a->update_media(a_call, LocalMedia{"127.0.0.1", 40100, 0}, MediaDirection::sendrecv));
  ASSERT_TRUE(p.wait([&] { return p.rb.media_changes.size() == 3; }));
  EXPECT_TRUE(p.rb.media_changes[2].second.remote_address);
  EXPECT_EQ(p.rb.media_after_change[2].remote_port, 40100);
  EXPECT_FALSE(p.ra.ended.contains(a_call));
  EXPECT_FALSE(p.rb.ended.contains(b_call));
}

TEST(UserAgent, InfoDigitsBothWays) {
  Pair p;
  auto [a_call, b_call] = establish(p, p.request());
  for (char d : std::string("1234#*")) ASSERT_TRUE(p.a->send_info_dtmf(a_call, d, 160));
  ASSERT_TRUE(p.b->send_info_dtmf(b_call, '9', 100));
  ASSERT_TRUE(p.wait([&] { return p.rb.digits.size() == 6 && p.ra.digits.size() == 1; }));
  std::string got;
  for (const auto& [c, d] : p.rb.digits) got += d;
  EXPECT_EQ(got, "1234#*");
  EXPECT_EQ(p.ra.digits[0].second, '9');
  EXPECT_EQ(p.a->send_info_dtmf(a_call, 'x', 100).error(), make_error_code(errc::invalid_argument));
}

TEST(UserAgent, ReferAcceptedAndReported) {
  Pair p;
  auto [a_call, b_call] = establish(p, p.request());
  ASSERT_TRUE(p.a->transfer(a_call, "sip:operator@127.0.0.1:5999"));
  ASSERT_TRUE(p.wait([&] { return p.rb.transfer_requests.size() == 1; }));
  EXPECT_NE(p.rb.transfer_requests[0].second.find("operator@127.0.0.1"), std::string::npos);
  ASSERT_TRUE(p.b->transfer_status(b_call, 200));
  ASSERT_TRUE(p.wait([&] {
    for (const auto& [c, s] : p.ra.transfer_progress) {
      if (s == 200) return true;
    }
    return false;
  }));
  bool saw_202 = false;
  for (const auto& [c, s] : p.ra.transfer_progress) saw_202 |= s == 202;
  EXPECT_TRUE(saw_202);
}

TEST(UserAgent, ReferDeclined) {
  Pair p;
  p.rb.accept_transfers = false;
  auto [a_call, b_call] = establish(p, p.request());
  ASSERT_TRUE(p.a->transfer(a_call, "sip:operator@127.0.0.1:5999"));
  ASSERT_TRUE(p.wait([&] { return !p.ra.transfer_progress.empty(); }));
  EXPECT_EQ(p.ra.transfer_progress[0].second, 603);
}

TEST(UserAgent, SessionTimerRefreshKeepsTheCall) {
  Pair p(Transport::udp, "127.0.0.1", [](UserAgentConfig& a, UserAgentConfig& b) {
    a.session_timers = {true, 4, 2};
    b.session_timers = {true, 4, 2};
  });
  auto [a_call, b_call] = establish(p, p.request());
  const auto info = p.a->info(a_call);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->session_expires_s, 4);
  EXPECT_TRUE(info->we_refresh);  // B lets the caller (uac) refresh
  pump_for({p.a.get(), p.b.get()}, 5000);
  EXPECT_FALSE(p.ra.ended.contains(a_call));
  EXPECT_FALSE(p.rb.ended.contains(b_call));
  EXPECT_GE(p.a->info(a_call)->session_refreshes, 2);
  EXPECT_GE(p.b->info(b_call)->session_refreshes, 2);
}

TEST(UserAgent, SessionTimerWithoutPeerSupportIsRefreshedByUs) {
  Pair p(Transport::udp, "127.0.0.1", [](UserAgentConfig& a, UserAgentConfig& b) {
    a.session_timers.enabled = false;
    b.session_timers = {true, 4, 2};
  });
  auto [a_call, b_call] = establish(p, p.request());
  EXPECT_TRUE(p.b->info(b_call)->we_refresh);
  pump_for({p.a.get(), p.b.get()}, 4500);
  EXPECT_FALSE(p.rb.ended.contains(b_call));
  EXPECT_GE(p.b->info(b_call)->session_refreshes, 1);
}

TEST(UserAgent, InviteRateLimitAnswers503WithRetryAfter) {
  Pair p(Transport::udp, "127.0.0.1", [](UserAgentConfig&, UserAgentConfig& b) {
    b.invite_rate.per_second = 0.5;
    b.invite_rate.burst = 2;
    b.invite_rate.retry_after_s = 7;
  });
  std::vector<CallId> calls;
  for (int i = 0; i < 4; ++i) calls.push_back(p.dial(p.request()));
  ASSERT_TRUE(p.wait([&] {
    int done = 0;
    for (CallId c : calls) done += p.ra.has_progress(c, DialState::answered) || p.ra.ended.contains(c);
    return done == 4;
  }));
  int refused = 0;
  for (CallId c : calls) {
    if (p.ra.ended.contains(c) && p.ra.ended[c].sip_status == 503) ++refused;
  }
  EXPECT_EQ(refused, 2);
  EXPECT_EQ(p.rb.incoming.size(), 2u);
}

TEST(UserAgent, PerSourceCallLimit) {
  Pair p(Transport::udp, "127.0.0.1", [](UserAgentConfig&, UserAgentConfig& b) { b.limits.max_calls_per_source = 1; });
  auto [first, b_first] = establish(p, p.request());
  const CallId second = p.dial(p.request());
  ASSERT_TRUE(p.wait([&] { return p.ra.ended.contains(second); }));
  EXPECT_EQ(p.ra.ended[second].sip_status, 503);
  EXPECT_FALSE(p.ra.ended.contains(first));
}

// ---- access control and digest ----------------------------------------------------------

Pair registrar_pair(bool with_credentials) {
  return Pair(Transport::udp, "127.0.0.1", [with_credentials](UserAgentConfig&, UserAgentConfig& b) {
    b.trusted_networks.clear();
    if (with_credentials) {
      b.credentials = std::make_shared<StaticCredentials>(std::map<std::string, std::string>{{"alice", "s3cret"}});
    }
  });
}

TEST(UserAgent, UntrustedWithoutCredentialsIs403) {
  Pair p = registrar_pair(false);
  const CallId call = p.dial(p.request());
  ASSERT_TRUE(p.wait([&] { return p.ra.ended.contains(call); }));
  EXPECT_EQ(p.ra.ended[call].sip_status, 403);
  EXPECT_TRUE(p.rb.incoming.empty());
}

TEST(UserAgent, DigestAuthenticatedInvite) {
  Pair p = registrar_pair(true);
  auto r = p.request();
  r.auth_user = "alice";
  r.password = "s3cret";
  const CallId call = p.dial(r);
  ASSERT_TRUE(p.wait([&] { return p.ra.has_progress(call, DialState::answered); }));
  ASSERT_EQ(p.rb.incoming.size(), 1u);
  EXPECT_FALSE(p.rb.incoming[0].trusted);
  EXPECT_EQ(p.rb.incoming[0].authenticated_user, "alice");
}

TEST(UserAgent, DigestWrongPasswordIsRefused) {
  Pair p = registrar_pair(true);
  auto r = p.request();
  r.auth_user = "alice";
  r.password = "wrong";
  const CallId call = p.dial(r);
  ASSERT_TRUE(p.wait([&] { return p.ra.ended.contains(call); }));
  EXPECT_EQ(p.ra.ended[call].sip_status, 403);
  EXPECT_TRUE(p.rb.incoming.empty());
  // No password at all: the 401 challenge stands.
  auto none = p.request();
  const CallId call2 = p.dial(none);
  ASSERT_TRUE(p.wait([&] { return p.ra.ended.contains(call2); }));
  EXPECT_EQ(p.ra.ended[call2].sip_status, 401);
}

TEST(UserAgent, RegisterWithDigestThenDialTheRegisteredUser) {
  Pair p = registrar_pair(true);
  RegistrationConfig reg;
  reg.registrar = "sip:127.0.0.1:" + std::to_string(p.b->port(Transport::udp)) + ";transport=udp";
  reg.user = "alice";
  reg.password = "s3cret";
  reg.expires_s = 120;
  auto id = p.a->register_to(reg);
  ASSERT_TRUE(id) << id.failure().message;
  ASSERT_TRUE(p.wait([&] {
    return !p.ra.registrations.empty() && p.ra.registrations.back().state == RegistrationState::registered;
  }));
  EXPECT_EQ(p.ra.registrations.back().expires_s, 120);
  const auto binding = p.b->binding("alice");
  ASSERT_TRUE(binding);
  EXPECT_NE(binding->contact.find("127.0.0.1"), std::string::npos);
  EXPECT_EQ(binding->source_address, "127.0.0.1");

  // The registrar side dials the registered user by name: it rings A.
  DialRequest to_alice;
  to_alice.target = "alice";
  to_alice.media = p.rb.local;
  auto call = p.b->dial(to_alice);
  ASSERT_TRUE(call) << call.failure().message;
  ASSERT_TRUE(p.wait([&] { return p.rb.has_progress(*call, DialState::answered); }));
  EXPECT_EQ(p.ra.incoming.size(), 1u);

  // Unregister: the binding goes.
  ASSERT_TRUE(p.a->unregister(*id));
  ASSERT_TRUE(p.wait([&] { return !p.b->binding("alice"); }));
  EXPECT_FALSE(p.b->dial(to_alice).has_value());
}

TEST(UserAgent, RegisterWrongPasswordFails) {
  Pair p = registrar_pair(true);
  RegistrationConfig reg;
  reg.registrar = "sip:127.0.0.1:" + std::to_string(p.b->port(Transport::udp));
  reg.user = "alice";
  reg.password = "nope";
  ASSERT_TRUE(p.a->register_to(reg));
  ASSERT_TRUE(p.wait([&] {
    return !p.ra.registrations.empty() && p.ra.registrations.back().state != RegistrationState::registering;
  }));
  EXPECT_EQ(p.ra.registrations.back().state, RegistrationState::failed);
  EXPECT_EQ(p.ra.registrations.back().sip_status, 403);
  EXPECT_FALSE(p.b->binding("alice"));
}

TEST(UserAgent, BadDialRequestsNameTheValue) {
  Pair p;
  auto r = p.request();
  r.target = "not a uri";
  auto out = p.a->dial(r);
  ASSERT_FALSE(out);
  EXPECT_NE(out.failure().message.find("'not a uri'"), std::string::npos) << out.failure().message;
  r = p.request();
  r.media.port = 0;
  EXPECT_NE(p.a->dial(r).failure().message.find("media.port"), std::string::npos);
  r = p.request();
  r.from_user = "a b";
  EXPECT_NE(p.a->dial(r).failure().message.find("from_user 'a b'"), std::string::npos);
  r = p.request();
  r.headers = {{"X-Bad", "a\r\nInjected: 1"}};
  EXPECT_NE(p.a->dial(r).failure().message.find("X-Bad"), std::string::npos);
}

TEST(UserAgent, ConfigErrorsNameTheField) {
  Recorder r;
  auto message = [&](const UserAgentConfig& c) {
    try {
      UserAgent ua(c, r);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  auto c = test::loopback_config();
  c.listen[0].address = "localhost";
  EXPECT_NE(message(c).find("listen[0].address 'localhost'"), std::string::npos);
  c = test::loopback_config();
  c.trusted_networks = {"10.0.0.1/40"};
  EXPECT_NE(message(c).find("prefix '40'"), std::string::npos);
  c = test::loopback_config();
  c.listen = {ListenPoint{Transport::tls, "127.0.0.1", 0}};
  EXPECT_NE(message(c).find("no tls configuration"), std::string::npos);
  c = test::loopback_config();
  c.media.codecs = {"G729"};
  EXPECT_NE(message(c).find("'G729'"), std::string::npos);
  // A port in use.
  auto first = test::loopback_config();
  UserAgent ua(first, r);
  c = test::loopback_config();
  c.listen[0].port = ua.port(Transport::udp);
  EXPECT_NE(message(c).find("cannot bind"), std::string::npos);
}

TEST(UserAgent, PostAndTimersRunOnTheLoop) {
  Recorder r;
  UserAgent ua(test::loopback_config(), r);
  int posted = 0, fired = 0, cancelled = 0;
  std::thread other([&] {
    for (int i = 0; i < 100; ++i) ua.post([&] { ++posted; });
  });
  other.join();
  ua.schedule(20, [&] { ++fired; });
  const TimerId t = ua.schedule(30, [&] { ++cancelled; });
  ua.cancel_timer(t);
  pump({&ua}, [&] { return posted == 100 && fired == 1; }, 2000);
  pump_for({&ua}, 60);
  EXPECT_EQ(posted, 100);
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(cancelled, 0);
}

TEST(UserAgent, DestructionEndsCallsWithBye) {
  Pair p(Transport::udp, "127.0.0.1", [](UserAgentConfig& a, UserAgentConfig&) { a.teardown_timeout_ms = 300; });
  auto [a_call, b_call] = establish(p, p.request());
  p.a->post([] {});  // a post that never runs must not leak
  // Destroying A sends BYE (B is not pumped meanwhile, so A stops waiting for
  // the answer after teardown_timeout_ms); B then sees the hang-up.
  p.a.reset();
  ASSERT_TRUE(p.ra.ended.contains(a_call));
  EXPECT_TRUE(p.ra.ended[a_call].cause == EndCause::local_hangup || p.ra.ended[a_call].cause == EndCause::shutdown);
  ASSERT_TRUE(pump({p.b.get()}, [&] { return p.rb.ended.contains(b_call); }));
  EXPECT_EQ(p.rb.ended[b_call].cause, EndCause::remote_hangup);
}

}  // namespace
}  // namespace libconf::sip
