#!/usr/bin/python3
"""Interop and robustness of the SIP layer against sipp (Debian sip-tester)
and raw UDP datagrams, on 127.0.0.1 only, every wait bounded.

  sipp_test.py UAS_BINARY SIPP_SCENARIO_DIR WORK_DIR

UAS_BINARY is tests/sip/sip_test_uas (a UserAgent that answers and prints
events as JSON lines). sipp plays UAC scenarios against it; raw datagrams
bring hostile input (truncated, oversized, wrong Content-Length, bad SDP,
unknown methods, an INVITE flood) while a call is in progress, and that call
must still complete.
"""
import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time

UAS, SCENARIOS, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
SIPP = shutil.which("sipp")
failures = []


def check(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + detail), flush=True)
    if not ok:
        failures.append(name)


def free_port(kind=socket.SOCK_DGRAM):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Uas:
    """A sip_test_uas process and the events it printed."""

    def __init__(self, *args):
        self.port = free_port()
        self.proc = subprocess.Popen([UAS, "--port", str(self.port), "--run-for", "120", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.events = queue.Queue()
        self.all = []
        threading.Thread(target=self._read, daemon=True).start()
        ready = self.wait(lambda e: e["event"] == "ready", 10)
        if ready is None:
            raise RuntimeError("sip_test_uas did not start: " + self.proc.stderr.read())

    def _read(self):
        for line in self.proc.stdout:
            try:
                self.events.put(json.loads(line))
            except ValueError:
                pass

    def wait(self, predicate, timeout=10.0):
        """The first new event matching predicate within timeout, else None."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                e = self.events.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.all.append(e)
            if predicate(e):
                return e
        return None

    def drain(self):
        while True:
            try:
                self.all.append(self.events.get_nowait())
            except queue.Empty:
                return

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.drain()


def sipp(uas, scenario, *extra, background=False, timeout=20):
    """Runs sipp once against uas; returns its exit status (0: the call succeeded)."""
    args = [SIPP, "127.0.0.1:%d" % uas.port, "-i", "127.0.0.1", "-p", str(free_port()),
            "-mp", str(free_port()), "-m", "1", "-timeout", "%ds" % timeout, "-timeout_error",
            "-nostdin", "-trace_err", "-s", "1000"]
    args += ["-sn", scenario] if not scenario.endswith(".xml") else ["-sf", os.path.join(SCENARIOS, scenario)]
    args += list(extra)
    proc = subprocess.Popen(args, cwd=WORK, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if background:
        return proc
    try:
        proc.wait(timeout=timeout + 10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return -1
    return proc.returncode


def udp_exchange(port, message, want=1, timeout=2.0):
    """Sends one datagram; returns the responses received within timeout,
    retransmissions removed (a final response to an INVITE repeats until ACKed)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.settimeout(0.2)
    data = message if isinstance(message, bytes) else message.replace("\n", "\r\n").encode()
    data = data.replace(b"LOCALPORT", str(s.getsockname()[1]).encode())
    s.sendto(data, ("127.0.0.1", port))
    out = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(out) < want:
        try:
            r = s.recv(65535).decode(errors="replace")
            if r not in out:
                out.append(r)
        except socket.timeout:
            pass
    s.close()
    return out


def invite(call_id, body, content_type="application/sdp", length=None, method="INVITE"):
    body = body.replace("\n", "\r\n")
    cl = len(body.encode()) if length is None else length
    head = ("%s sip:1000@127.0.0.1 SIP/2.0\n"
            "Via: SIP/2.0/UDP 127.0.0.1:LOCALPORT;rport;branch=z9hG4bK-%s\n"
            "From: <sip:raw@127.0.0.1>;tag=t-%s\n"
            "To: <sip:1000@127.0.0.1>\n"
            "Call-ID: %s\n"
            "CSeq: 1 %s\n"
            "Contact: <sip:raw@127.0.0.1:LOCALPORT>\n"
            "Max-Forwards: 70\n"
            "Content-Type: %s\n"
            "Content-Length: %d\n\n") % (method, call_id, call_id, call_id, method, content_type, cl)
    return head.replace("\n", "\r\n").encode() + body.encode()


def sdp(media="m=audio 4000 RTP/AVP 0\n", extra=""):
    return "v=0\no=raw 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\n" + media + extra


def status(responses):
    return [r.split(" ", 2)[1] if r.startswith("SIP/2.0 ") else "?" for r in responses]


def final(responses):
    codes = [c for c in status(responses) if not c.startswith("1")]
    return codes[0] if codes else None


def header(response, name):
    for line in response.split("\r\n"):
        if line.lower().startswith(name.lower() + ":"):
            return line.split(":", 1)[1].strip()
    return ""


os.makedirs(WORK, exist_ok=True)
uas = Uas("--user", "alice:s3cret", "--min-se", "2", "--session-expires", "30")
try:
    # ---- sipp UAC scenarios ----------------------------------------------------
    check("sipp built-in uac: INVITE/100/180/200/ACK/BYE", sipp(uas, "uac") == 0)
    e = uas.wait(lambda e: e["event"] == "ended")
    check("  the UAS saw the call and the BYE", e is not None and e["cause"] == "remote_hangup", str(uas.all[-3:]))

    check("OPTIONS probe answered 200 with Allow", sipp(uas, "uac_options.xml") == 0)

    check("INFO digits (dtmf-relay and dtmf)", sipp(uas, "uac_info.xml") == 0)
    digits = "".join(e["digit"] for e in [uas.wait(lambda e: e["event"] == "dtmf"), uas.wait(lambda e: e["event"] == "dtmf")] if e)
    check("  the UAS got 5 and #", digits == "5#", digits)

    check("re-INVITE hold (sendonly->recvonly) and unhold", sipp(uas, "uac_hold.xml") == 0)
    held = uas.wait(lambda e: e["event"] == "media_changed")
    unheld = uas.wait(lambda e: e["event"] == "media_changed")
    check("  the UAS saw recvonly then sendrecv",
          held and unheld and held["direction"] == "recvonly" and unheld["direction"] == "sendrecv", str([held, unheld]))

    check("PRACK for a reliable 180 (Require: 100rel)", sipp(uas, "uac_prack.xml") == 0)

    t0 = time.monotonic()
    check("session timer: no refresh within Session-Expires 3 -> BYE from the UAS", sipp(uas, "uac_timer.xml") == 0)
    e = uas.wait(lambda e: e["event"] == "ended" and e["cause"] == "session_expired")
    check("  ended as session_expired after 2..5 s", e is not None and 1.5 < time.monotonic() - t0 < 8, str(e))

    ringing = Uas("--mode", "ring")
    check("CANCEL while ringing: 200 + 487", sipp(ringing, "uac_cancel.xml") == 0)
    e = ringing.wait(lambda e: e["event"] == "ended")
    check("  the ringing UAS saw the call cancelled", e is not None and e["cause"] == "cancelled", str(e))
    ringing.stop()

    check("REGISTER with digest: 401 then 200", sipp(uas, "uac_register.xml", "-au", "alice", "-ap", "s3cret") == 0)
    check("REGISTER with a wrong password: 403", sipp(uas, "uac_register_wrong.xml", "-au", "alice", "-ap", "wrong") == 0)

    # ---- hostile input while a call is in progress ----------------------------
    long_call = sipp(uas, "uac", "-d", "4000", background=True)
    time.sleep(0.5)
    port = uas.port
    r = udp_exchange(port, invite("trunc", sdp())[:90], want=1, timeout=0.5)
    check("truncated INVITE: no crash, no answer", r == [], str(r))
    r = udp_exchange(port, invite("big", sdp(extra="a=x-pad:" + "y" * 60000 + "\n")), want=2)
    check("oversized INVITE (60 KB body): 413", final(r) in ("413", "488", None), str(status(r)))
    r = udp_exchange(port, invite("cl-long", sdp(), length=5000), want=2, timeout=1.0)
    check("Content-Length larger than the datagram: refused, no crash", final(r) in (None, "400", "488"), str(status(r)))
    r = udp_exchange(port, invite("cl-short", sdp(), length=20), want=2)
    check("Content-Length shorter than the body: the SDP is cut, 488", final(r) in ("488", "400"), str(status(r)))
    for name, body, needle in [
            ("no media", sdp(media=""), "no m= line"),
            ("unknown codecs only", sdp(media="m=audio 4000 RTP/AVP 18 3\n"), "no acceptable codec"),
            ("port 0", sdp(media="m=audio 0 RTP/AVP 0\n"), "port 0"),
            ("absurd ptime", sdp(extra="a=ptime:100000\n"), "ptime 100000"),
            ("not SDP", "v=0\nm=audio 4000 RTP/AVP 0\n%%%\n", "not valid SDP")]:
        r = udp_exchange(port, invite("bad-" + name.replace(" ", "-"), body), want=2)
        warn = header(r[-1], "Warning") if r else ""
        check("bad SDP (%s): 488 naming it" % name, final(r) == "488" and needle in warn, str(status(r)) + " " + warn)
    r = udp_exchange(port, invite("json", "{}", content_type="application/json"), want=2)
    check("a body that is not SDP: 415", final(r) == "415", str(status(r)))
    r = udp_exchange(port, invite("foo", "", method="FOO"), want=1)
    check("unknown method: 501", final(r) == "501", str(status(r)))
    r = udp_exchange(port, os.urandom(1400), want=1, timeout=0.5)
    check("random bytes: ignored", r == [], str(r))
    long_rc = long_call.wait(timeout=30)
    check("the call in progress completed despite all that", long_rc == 0, "sipp exit %s" % long_rc)
    check("the UAS is still running", uas.alive())
    check("and still answers OPTIONS", sipp(uas, "uac_options.xml") == 0)

    # ---- INVITE flood from one source: 503 with Retry-After --------------------
    flood = Uas("--rate", "2,5")
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.settimeout(0.2)
    lp = str(s.getsockname()[1]).encode()
    for i in range(30):
        s.sendto(invite("flood-%d" % i, sdp()).replace(b"LOCALPORT", lp), ("127.0.0.1", flood.port))
    responses = []
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        try:
            responses.append(s.recv(65535).decode(errors="replace"))
        except socket.timeout:
            pass
    refused = {header(r, "Call-ID") for r in responses if r.startswith("SIP/2.0 503") and header(r, "Retry-After") == "9"}
    answered = {header(r, "Call-ID") for r in responses if r.startswith("SIP/2.0 200")}
    trying = [r for r in responses if r.startswith("SIP/2.0 100")]
    check("INVITE flood: exactly one 100 Trying per INVITE", len(trying) == 30, "%d" % len(trying))
    check("INVITE flood: 503 with Retry-After for the excess", 20 <= len(refused) <= 26, "%d refused" % len(refused))
    check("INVITE flood: the burst was let in", 4 <= len(answered) <= 10, "%d answered" % len(answered))
    flood.stop()
    check("flood UAS exited cleanly", flood.proc.returncode == 0, str(flood.proc.returncode))
finally:
    uas.stop()
totals = [e for e in uas.all if e["event"] == "totals"]
check("UAS exited cleanly with no call left open", uas.proc.returncode == 0 and totals and totals[-1]["open_calls"] == 0,
      "%s %s" % (uas.proc.returncode, totals))
print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
