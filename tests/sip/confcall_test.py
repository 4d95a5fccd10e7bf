#!/usr/bin/python3
"""confcall end to end on 127.0.0.1: confcall against confcall (one --listen),
against sipp as UAS (RTP echo), against the test UAS as registrar; what each
side hears is checked in the recordings (level, speech, correlation with the
other side's voice, timing), digits arrive as RFC 4733, SIP INFO and in-band
tones, hold/unhold keeps the call and the audio, and SRTP on the wire (seen by
a UDP relay in the media path) is not plain RTP.

  confcall_test.py CONFCALL SIP_TEST_UAS MAKE_VOICES_SH WORK_DIR
"""
import json
import math
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import wave

import numpy as np

CONFCALL, UAS, MAKE_VOICES, WORK = (os.path.abspath(a) for a in sys.argv[1:5])
failures = []


def check(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + str(detail)), flush=True)
    if not ok:
        failures.append(name)


def free_port(kind=socket.SOCK_DGRAM, even=False):
    for _ in range(100):
        s = socket.socket(socket.AF_INET, kind)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        if not even or (port % 2 == 0 and port < 65534):
            return port
    raise RuntimeError("no free port")


def read_wav(path):
    with wave.open(path) as w:
        data = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float64)
        return data, w.getframerate()


def to_rate(x, rate, target):
    if rate == target:
        return x
    n = int(len(x) * target / rate)
    return np.interp(np.linspace(0, len(x) - 1, n), np.arange(len(x)), x)


def envelope(x, rate, hop_s=0.01):
    """Frame energies (10 ms), in dB: speech correlation that survives codecs and jitter."""
    hop = int(rate * hop_s)
    frames = len(x) // hop
    e = np.array([np.mean(x[i * hop:(i + 1) * hop] ** 2) for i in range(frames)])
    return 10 * np.log10(e + 1.0)


def lag_and_correlation(heard, heard_rate, source, source_rate, max_lag_s=2.0):
    """Best lag (s) of the source's energy envelope inside what was heard, and the correlation there."""
    a = envelope(heard, heard_rate)
    b = envelope(source, source_rate)
    n = min(len(a), len(b))
    best = (0.0, -1.0)
    for lag in range(0, int(max_lag_s / 0.01)):
        x = a[lag:lag + n - int(max_lag_s / 0.01)]
        y = b[:len(x)]
        if len(x) < 100 or np.std(x) == 0 or np.std(y) == 0:
            continue
        c = float(np.corrcoef(x, y)[0, 1])
        if c > best[1]:
            best = (lag * 0.01, c)
    return best


def level_dbfs(x):
    return 10 * math.log10(max(np.mean(x ** 2), 1e-12) / 32768.0 ** 2) if len(x) else -120


def run(args, timeout=60):
    p = subprocess.run([CONFCALL] + args, capture_output=True, text=True, timeout=timeout)
    summary = None
    for line in p.stdout.splitlines():
        if line.startswith("{"):
            summary = json.loads(line)
    return p.returncode, summary, p.stderr


def pair(listen_args, dial_args, listen_duration=12):
    """confcall --listen (background) and a dialling confcall; returns both (exit, summary, stderr)."""
    port = free_port()
    listener = subprocess.Popen([CONFCALL, "--listen", "-p", str(port), "--json", "-q", "--max-duration",
                                 str(listen_duration)] + listen_args,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.4)
    target = "sip:1000@127.0.0.1:%d" % port
    if "--transport" in dial_args:
        target += ";transport=" + dial_args[dial_args.index("--transport") + 1]
    dialled = run([target, "--json", "-q"] + dial_args)
    try:
        out, err = listener.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        listener.kill()
        out, err = listener.communicate()
    summary = None
    for line in out.splitlines():
        if line.startswith("{"):
            summary = json.loads(line)
    return dialled, (listener.returncode, summary, err)


os.makedirs(WORK, exist_ok=True)
VOICES = os.path.join(WORK, "voices")
subprocess.run(["bash", MAKE_VOICES, VOICES], check=True, capture_output=True)
ALICE, BOB = os.path.join(VOICES, "alice.wav"), os.path.join(VOICES, "bob.wav")
alice, alice_rate = read_wav(ALICE)
bob, bob_rate = read_wav(BOB)


def w(name):
    return os.path.join(WORK, name)


# ---- command line -----------------------------------------------------------------
p = subprocess.run([CONFCALL, "--help"], capture_output=True, text=True)
check("--help: usage, examples, exit status", p.returncode == 0 and all(k in p.stdout for k in ("Usage:", "Examples:", "Exit status:")))
for args, needle in [(["sip:1@127.0.0.1", "--codecs", "pcmu,g729"], "'g729'"),
                     (["sip:1@127.0.0.1", "--srtp", "F8_128"], "'F8_128'"),
                     (["sip:1@127.0.0.1", "--ptime", "30"], "'30'"),
                     (["sip:1@127.0.0.1", "--digits", "12x4"], "'x'"),
                     (["sip:1@127.0.0.1", "--te-rate", "16000"], "'16000'"),
                     (["sip:1@127.0.0.1", "--duration", "soon"], "'soon'"),
                     (["tel:+4930123"], "'tel:+4930123'"),
                     ([], "no target"),
                     (["sip:1@127.0.0.1", "--bogus"], "'--bogus'")]:
    rc, _, err = run(args, timeout=10)
    check("bad command line %s: exit 2 naming %s" % (" ".join(args[1:]) or "(none)", needle), rc == 2 and needle in err, err)
rc, _, err = run(["sip:1@127.0.0.1", "--play", w("missing.wav")], timeout=10)
check("unreadable --play file: exit 3 naming it", rc == 3 and "missing.wav" in err, err)

# ---- confcall against confcall: voices, timing, RFC 4733 digits ----------------------
(rc_a, a, err_a), (rc_b, b, err_b) = pair(
    ["--play", BOB, "--record", w("b_heard.wav")],
    ["--play", ALICE, "--record", w("a_heard.wav"), "--duration", "7", "-d", "1000#,,1234#", "--digits-at", "1"])
check("PCMU call: both ends exit 0", rc_a == 0 and rc_b == 0, err_a + err_b)
if a and b:
    check("  codec PCMU with telephone-event", a["media"]["codec"] == "PCMU" and a["media"]["telephone_event_pt"] >= 96, a["media"])
    check("  digits arrive as RFC 4733: 1000#1234#", b["digits"]["received_rfc4733"] == "1000#1234#", b["digits"])
    check("  the digits are no tones in the callee's audio", b["digits"]["heard_inband"] == "", b["digits"])
    check("  no loss, packets both ways", a["rtp"]["packets_received"] > 300 and b["rtp"]["packets_received"] > 300
          and a["rtp"]["loss_percent"] == 0, a["rtp"])
    check("  the pacing thread kept time (late ticks < 2 %)", a["rtp"]["late_ticks"] < 0.02 * a["rtp"]["ticks"], a["rtp"])
    check("  the caller heard speech (>= 5 s, -30..-10 dBFS)", a["heard"]["speech_s"] >= 5 and -30 < a["heard"]["speech_level_dbfs"] < -10,
          a["heard"])
    check("  the callee hangs up on BYE", b["sip"]["ended_by"] == "remote_hangup", b["sip"])
heard_a, ra = read_wav(w("a_heard.wav"))
lag, corr = lag_and_correlation(heard_a, ra, bob, bob_rate)
check("  the caller's recording is Bob's voice (corr %.2f, lag %.2f s)" % (corr, lag), corr > 0.6 and lag < 0.6, (corr, lag))
heard_b, rb = read_wav(w("b_heard.wav"))
lag, corr = lag_and_correlation(heard_b, rb, alice, alice_rate)
check("  the callee's recording is Alice's voice (corr %.2f, lag %.2f s)" % (corr, lag), corr > 0.5 and lag < 0.8, (corr, lag))

# ---- Opus with telephone-event/48000, digits by SIP INFO -------------------------------
(rc_a, a, err_a), (rc_b, b, err_b) = pair(
    ["--play", BOB, "--codecs", "opus"],
    ["--play", ALICE, "--codecs", "opus,pcmu", "--te-rate", "48000", "--duration", "4", "-d", "123#", "--dtmf", "info",
     "--record", w("opus_heard.wav")])
check("Opus call: both ends exit 0", rc_a == 0 and rc_b == 0, err_a + err_b)
if a and b:
    check("  opus/48000 with telephone-event/48000", a["media"]["codec"] == "opus" and a["media"]["clock_rate_hz"] == 48000
          and a["media"]["telephone_event_pt"] >= 96, a["media"])
    check("  digits arrive as SIP INFO: 123#", b["digits"]["received_info"] == "123#", b["digits"])
    check("  heard at 48 kHz, speech >= 2.5 s", a["heard"]["pcm_rate_hz"] == 48000 and a["heard"]["speech_s"] >= 2.5, a["heard"])
heard, rate = read_wav(w("opus_heard.wav"))
lag, corr = lag_and_correlation(heard, rate, bob, bob_rate)
check("  the Opus recording is Bob's voice (corr %.2f, lag %.2f s)" % (corr, lag), corr > 0.6 and lag < 0.6, (corr, lag))

# ---- PCMA, in-band DTMF ----------------------------------------------------------------
(rc_a, a, err_a), (rc_b, b, err_b) = pair(
    ["--codecs", "pcma", "--record", w("inband_heard.wav")],
    ["--play", ALICE, "--codecs", "pcma", "--duration", "4", "-d", "4567", "--dtmf", "inband", "--digits-at", "0.5"])
check("PCMA call with in-band digits: both ends exit 0", rc_a == 0 and rc_b == 0, err_a + err_b)
if a and b:
    check("  codec PCMA", a["media"]["codec"] == "PCMA", a["media"])
    check("  the callee hears the tones 4567 in the audio", b["digits"]["heard_inband"] == "4567", b["digits"])
    check("  and no RFC 4733 events", b["digits"]["received_rfc4733"] == "", b["digits"])

# ---- hold / unhold by re-INVITE keeps the call and the audio ----------------------------
(rc_a, a, err_a), (rc_b, b, err_b) = pair(
    ["--play", BOB, "--loop-play"],
    ["--play", ALICE, "--loop-play", "--duration", "7", "--hold-at", "2", "--unhold-at", "4.5", "--record", w("hold_heard.wav")])
check("hold/unhold call: both ends exit 0", rc_a == 0 and rc_b == 0, err_a + err_b)
if a and b:
    check("  both saw two direction changes", a["sip"]["hold_changes"] == 2 and b["sip"]["hold_changes"] == 2, (a["sip"], b["sip"]))
    check("  the call ended by our BYE after 7 s", a["sip"]["ended_by"] == "local_hangup" and 6.5 < a["call_s"] < 8, a)
heard, rate = read_wav(w("hold_heard.wav"))
on_hold = heard[int(2.6 * rate):int(4.3 * rate)]
after = heard[int(5.2 * rate):int(6.8 * rate)]
check("  silence while held (%.0f dBFS), Bob again after (%.0f dBFS)" % (level_dbfs(on_hold), level_dbfs(after)),
      level_dbfs(on_hold) < -55 and level_dbfs(after) > -35, (level_dbfs(on_hold), level_dbfs(after)))


# ---- SRTP on the wire: a UDP relay in the media path sees no plain RTP -------------------
class Relay:
    """Two relay ports in the media path: the caller advertises caller_side, the
    callee callee_side, so each end sends to the relay and sees the relay as its
    peer (symmetric RTP latches onto it). Keeps every datagram."""

    def __init__(self, caller_rtp, callee_rtp):
        self.sa = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sa.bind(("127.0.0.1", free_port(even=True)))
        self.sb = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sb.bind(("127.0.0.1", free_port(even=True)))
        self.caller_side, self.callee_side = self.sa.getsockname()[1], self.sb.getsockname()[1]
        self.packets = []
        self.stop = False
        for sock in (self.sa, self.sb):
            sock.settimeout(0.05)
        # What reaches the callee side came from the caller: pass it on from the caller side, and back.
        self.threads = [threading.Thread(target=self._pump, args=(self.sb, self.sa, callee_rtp), daemon=True),
                        threading.Thread(target=self._pump, args=(self.sa, self.sb, caller_rtp), daemon=True)]
        for t in self.threads:
            t.start()

    def _pump(self, inbound, outbound, to_port):
        end = time.monotonic() + 40
        while not self.stop and time.monotonic() < end:
            try:
                data, _ = inbound.recvfrom(65535)
            except socket.timeout:
                continue
            self.packets.append(data)
            outbound.sendto(data, ("127.0.0.1", to_port))

    def close(self):
        self.stop = True
        for t in self.threads:
            t.join(timeout=2)


def audio_payloads(packets):
    """Payloads of RTP audio packets (PT 0), RTCP and events left out."""
    out = []
    for p in packets:
        if len(p) < 12 or p[0] >> 6 != 2 or 72 <= (p[1] & 0x7f) <= 76:
            continue
        if p[1] & 0x7f == 0:
            cc = p[0] & 0x0f
            out.append(p[12 + 4 * cc:])
    return out


def entropy(payloads):
    data = np.frombuffer(b"".join(payloads), dtype=np.uint8)
    counts = np.bincount(data, minlength=256) / max(len(data), 1)
    nz = counts[counts > 0]
    return float(-(nz * np.log2(nz)).sum())


for suite, tag in [(None, 0), ("AES_CM_128_HMAC_SHA1_80", 10), ("AEAD_AES_128_GCM", 16)]:
    name = suite or "plain RTP"
    caller_rtp, callee_rtp = free_port(even=True), free_port(even=True)
    relay = Relay(caller_rtp, callee_rtp)
    srtp = ["--srtp", suite] if suite else []
    (rc_a, a, err_a), (rc_b, b, err_b) = pair(
        ["--play", BOB, "--codecs", "pcmu", "--rtp-port", str(callee_rtp), "--advertise", "127.0.0.1:%d" % relay.callee_side] + srtp,
        ["--play", ALICE, "--codecs", "pcmu", "--duration", "3", "--rtp-port", str(caller_rtp),
         "--advertise", "127.0.0.1:%d" % relay.caller_side] + srtp)
    relay.close()
    payloads = audio_payloads(relay.packets)
    lengths = {len(p) for p in payloads}
    h = entropy(payloads)
    check("%s through a relay: both ends exit 0 and hear speech" % name,
          rc_a == 0 and rc_b == 0 and a and b and a["heard"]["speech_s"] > 1.5 and b["heard"]["speech_s"] > 1.5,
          err_a + err_b)
    if a and b:
        check("  %s: negotiated as asked" % name, a["media"]["srtp"] == suite and b["media"]["srtp"] == suite, a["media"])
        check("  %s: no authentication failures" % name, a["rtp"]["srtp_auth_failures"] == 0 and b["rtp"]["srtp_auth_failures"] == 0)
    check("  %s: %d audio packets seen on the wire" % (name, len(payloads)), len(payloads) > 200, len(payloads))
    check("  %s: payloads are %d bytes (160 + %d-byte tag)" % (name, 160 + tag, tag), lengths == {160 + tag}, lengths)
    if suite:
        check("  %s: payload bytes look random (%.2f bits/byte), not G.711 speech" % (name, h), h > 7.9, h)
    else:
        check("  plain RTP: payload bytes are G.711 speech (%.2f bits/byte)" % h, h < 7.5, h)

# ---- sipp as the callee (UAS with RTP echo): confcall hears itself -----------------------
sipp = shutil.which("sipp")
if sipp:
    sport, mport = free_port(), free_port(even=True)
    s = subprocess.Popen([sipp, "-sn", "uas", "-i", "127.0.0.1", "-p", str(sport), "-mp", str(mport), "-rtp_echo", "-m", "1",
                          "-timeout", "30s", "-timeout_error", "-nostdin"], cwd=WORK, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    rc, summary, err = run(["sip:service@127.0.0.1:%d" % sport, "--json", "-q", "--play", ALICE, "--duration", "4",
                            "--record", w("echo_heard.wav")])
    try:
        s_rc = s.wait(timeout=30)
    except subprocess.TimeoutExpired:
        s.kill()
        s_rc = -1
    check("sipp UAS answers confcall: confcall exit 0, sipp exit 0", rc == 0 and s_rc == 0, (rc, s_rc, err))
    if summary:
        check("  180 then 200", summary["sip"]["provisional"] == [180] and summary["sip"]["final_status"] == 200, summary["sip"])
    heard, rate = read_wav(w("echo_heard.wav"))
    lag, corr = lag_and_correlation(heard, rate, alice, alice_rate)
    check("  confcall hears its own voice echoed (corr %.2f, lag %.2f s)" % (corr, lag), corr > 0.6 and lag < 0.5, (corr, lag))

# ---- TLS signalling with SRTP media: confcall --listen over TLS, a TLS caller checking its certificate ----
cert, key = w("tls-cert.pem"), w("tls-key.pem")
made = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                       "-keyout", key, "-out", cert], capture_output=True).returncode == 0
check("openssl made a test certificate", made)
if made:
    (rc_a, a, err_a), (rc_b, b, err_b) = pair(
        ["--transport", "tls", "--tls-cert", cert, "--tls-key", key, "--play", BOB],
        ["--transport", "tls", "--tls-ca", cert, "--srtp", "AEAD_AES_128_GCM", "--play", ALICE, "--duration", "3",
         "--record", w("tls_heard.wav"), "-d", "42", "--dtmf", "info"])
    check("TLS + SRTP call: both ends exit 0", rc_a == 0 and rc_b == 0, err_a + err_b)
    if a and b:
        check("  over tls, SRTP AEAD_AES_128_GCM", a["sip"]["transport"] == "tls" and a["media"]["srtp"] == "AEAD_AES_128_GCM", a)
        check("  INFO digits over TLS", b["digits"]["received_info"] == "42", b["digits"])
        check("  the callee hangs up on our BYE", b["sip"]["ended_by"] == "remote_hangup", b["sip"])
    heard, rate = read_wav(w("tls_heard.wav"))
    lag, corr = lag_and_correlation(heard, rate, bob, bob_rate)
    check("  the caller hears Bob over TLS/SRTP (corr %.2f)" % corr, corr > 0.6 and lag < 0.6, (corr, lag))
    rc, summary, err = run(["sip:1000@127.0.0.1:%d;transport=tls" % free_port(socket.SOCK_STREAM), "--transport", "tls",
                            "--tls-ca", cert, "--json", "-q", "--timeout", "3"], timeout=30)
    check("TLS to a port nobody listens on: exit 1, 503", rc == 1 and summary and summary["sip"]["final_status"] == 503, (rc, err))

# ---- a callee that refuses ------------------------------------------------------------------
(rc_a, a, err_a), (rc_b, b, err_b) = pair(["--reject", "486"], ["--duration", "2"], listen_duration=5)
check("--listen --reject 486: the caller exits 1 with 486", rc_a == 1 and a and a["sip"]["final_status"] == 486, (rc_a, a and a["sip"]))

# ---- registration with digest, then the call --------------------------------------------------
uport = free_port()
uas = subprocess.Popen([UAS, "--port", str(uport), "--user", "alice:s3cret", "--untrusted", "--run-for", "30"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
time.sleep(0.5)
rc, summary, err = run(["sip:1000@127.0.0.1:%d" % uport, "--json", "-q", "-u", "alice", "-w", "s3cret", "-r", "--duration", "1"])
check("--register with digest, then an authenticated call: exit 0", rc == 0 and summary and summary["sip"]["registration_status"] == 200
      and summary["sip"]["answered"], (rc, summary and summary["sip"], err))
rc, summary, err = run(["sip:1000@127.0.0.1:%d" % uport, "--json", "-q", "-u", "alice", "-w", "nope", "-r", "--duration", "1"])
check("--register with a wrong password: exit 3, 403 named", rc == 3 and "403" in err, (rc, err))
uas.terminate()
out, _ = uas.communicate(timeout=15)
calls = [json.loads(l) for l in out.splitlines() if '"incoming"' in l]
check("  the UAS saw exactly one (authenticated) call from alice", len(calls) == 1 and calls[0]["user"] == "alice", calls)

print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
