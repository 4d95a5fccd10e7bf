import numpy as np
import pytest

import libconf
from signals import sine, speech_like, tone_level_dbfs

SECONDS = 6


def plain():
    # Steady tones look like line noise to talker detection (by design), so
    # tone tests switch it and the AGC off: the leg is mixed whenever unmuted.
    return dict(agc=False, talker_detection=False)


def test_mix_minus_through_codecs_on_the_virtual_clock():
    engine = libconf.Engine(workers=1, ptime_ms=20)
    room = engine.create_room("r", sample_rate_hz=16000)
    a_in = sine(440, -20, 8000, 8000 * SECONDS)
    c_in = sine(1000, -20, 16000, 16000 * SECONDS)
    a_heard = np.zeros(8000 * SECONDS, np.int16)
    c_heard = np.zeros(16000 * SECONDS, np.int16)
    l_heard = np.zeros(8000 * SECONDS, np.int16)
    a = engine.add_leg(room, name="a", codec="PCMU", input=a_in, heard=a_heard, **plain())
    c = engine.add_leg(room, name="c", codec="opus", codec_rate_hz=16000, input=c_in, heard=c_heard, **plain())
    listener = engine.add_leg(room, name="l", codec="PCMA", heard=l_heard, **plain())
    del a_in, c_in  # the engine keeps the arrays alive
    engine.tick(SECONDS * 50)
    assert engine.now_us == SECONDS * 1_000_000
    events = engine.poll_events()
    joined = [e.leg for e in events if e.kind == libconf.EventKind.leg_joined]
    assert sorted(joined) == sorted([a, c, listener])
    assert events[0].as_dict()["kind"] in ("room_created", "leg_joined")

    def window(x, rate):
        return x[3 * rate:int(5.5 * rate)]

    assert tone_level_dbfs(window(a_heard, 8000), 440, 8000) < -45
    assert tone_level_dbfs(window(a_heard, 8000), 1000, 8000) == pytest.approx(-20, abs=1.0)
    assert tone_level_dbfs(window(c_heard, 16000), 1000, 16000) < -45
    assert tone_level_dbfs(window(c_heard, 16000), 440, 16000) == pytest.approx(-20, abs=1.0)
    assert tone_level_dbfs(window(l_heard, 8000), 440, 8000) == pytest.approx(-20, abs=1.0)
    assert engine.heard(listener) is l_heard
    stats = engine.leg_stats(a)
    assert stats.frames_in > 250 and stats.packets_out > 250


def test_commands_whisper_mute_move_and_dtmf():
    engine = libconf.Engine()
    main = engine.create_room("main", sample_rate_hz=8000)
    side = engine.create_room("side", sample_rate_hz=8000)
    n = 8000 * 4
    dtmf = libconf.DtmfGenerator(8000)
    dtmf.queue("42#")
    talker_in = np.concatenate([dtmf.generate(8000), sine(600, -20, 8000, n - 8000)])
    coach_in = sine(1800, -20, 8000, n)
    heard = {k: np.zeros(n, np.int16) for k in ("talker", "coach", "b", "d")}
    talker = engine.add_leg(main, codec="PCMU", input=talker_in, heard=heard["talker"], agc=False, talker_detection=False)
    coach = engine.add_leg(main, codec="PCMU", input=coach_in, heard=heard["coach"], agc=False, talker_detection=False,
                           mix=libconf.LegMixState(listen_only=True))
    b = engine.add_leg(main, codec="PCMU", heard=heard["b"], agc=False, talker_detection=False)
    d = engine.add_leg(main, codec="PCMU", heard=heard["d"], agc=False, talker_detection=False)
    engine.tick(100)
    engine.whisper(coach, b)
    engine.tick(50)  # 2..3 s: coach whispers to b
    engine.remove_whisper(coach, b)
    engine.set_mix_state(talker, libconf.LegMixState(muted=True))
    engine.move_leg(d, side)
    engine.tick(50)  # 3..4 s
    events = engine.poll_events()
    digits = "".join(e.digit for e in events if e.kind == libconf.EventKind.dtmf_started and e.leg == talker)
    assert digits == "42#"
    assert any(e.kind == libconf.EventKind.whisper_started and e.leg == coach and e.other_leg == b for e in events)
    assert any(e.kind == libconf.EventKind.leg_moved and e.leg == d and e.other_room == main for e in events)
    assert engine.room_of(d) == side

    def seg(x, t0, t1):
        return x[int(t0 * 8000):int(t1 * 8000)]

    assert tone_level_dbfs(seg(heard["b"], 2.2, 2.9), 1800, 8000) == pytest.approx(-20, abs=1.0)
    assert tone_level_dbfs(seg(heard["d"], 2.2, 2.9), 1800, 8000) < -45
    assert tone_level_dbfs(seg(heard["talker"], 2.2, 2.9), 1800, 8000) < -45
    assert tone_level_dbfs(seg(heard["d"], 2.2, 2.9), 600, 8000) == pytest.approx(-20, abs=1.0)
    # Muted talker: nobody hears it any more; the coach's whisper is over.
    assert libconf.rms_dbfs(seg(heard["b"], 3.3, 3.9)) < -45
    # The DTMF digits were kept out of the mix.
    assert libconf.DtmfDetector(8000).digits(heard["b"][:8000]) == ""
    with pytest.raises(libconf.NotFound):
        engine.leg_stats(999)
    with pytest.raises(libconf.UnknownCodec):
        engine.add_leg(main, codec="G729")


def test_speech_run_reports_talking():
    engine = libconf.Engine()
    room = engine.create_room(sample_rate_hz=16000)
    voice = speech_like(-26, 8000, 3)
    listener_heard = np.zeros(8000 * 3, np.int16)
    a = engine.add_leg(room, codec="PCMU", input=voice)
    engine.add_leg(room, codec="PCMU", heard=listener_heard)
    engine.tick(150)
    kinds = [e.kind for e in engine.poll_events() if e.leg == a]
    assert libconf.EventKind.talking_started in kinds
    assert libconf.rms_dbfs(listener_heard[8000:]) > -35


def test_tick_releases_the_gil():
    import threading
    import time

    engine = libconf.Engine()
    room = engine.create_room(sample_rate_hz=48000)
    for i in range(4):
        engine.add_leg(room, codec="opus", input=sine(300 + 200 * i, -20, 48000, 48000 * 10), **plain())
    engine.tick(5)
    span = {}

    def run():
        span["start"] = time.perf_counter()
        engine.tick(300)
        span["end"] = time.perf_counter()

    worker = threading.Thread(target=run)
    stamps = []
    worker.start()
    while worker.is_alive():
        stamps.append(time.perf_counter())
        time.sleep(0.002)
    worker.join()
    # Held for the whole tick(300), the GIL would keep this thread from running
    # between start and end; released, it runs throughout.
    inside = [t for t in stamps if span["start"] + 0.02 < t < span["end"] - 0.02]
    assert span["end"] - span["start"] > 0.1
    assert len(inside) > 10
    assert engine.now_us == 305 * 20000


def test_full_rooms_refuse_joins_and_moves_at_call_time():
    engine = libconf.Engine()
    main = engine.create_room("main", sample_rate_hz=8000)
    small = engine.create_room("small", sample_rate_hz=8000, max_legs=1)
    a = engine.add_leg(main)
    engine.add_leg(small)
    with pytest.raises(libconf.CapacityExceeded, match="room 'small' is full"):
        engine.add_leg(small)
    with pytest.raises(libconf.CapacityExceeded):
        engine.move_leg(a, small)
    engine.tick(5)
    events = engine.poll_events()
    assert engine.room_of(a) == main
    assert engine.room_of(12345) is None
    assert not any(e.kind in (libconf.EventKind.leg_left, libconf.EventKind.command_failed) for e in events)
    assert all(e.leg is None for e in events if e.kind == libconf.EventKind.room_created)


def test_hold_and_unhold_with_update_leg():
    engine = libconf.Engine()
    room = engine.create_room(sample_rate_hz=8000)
    n = 8000 * 4
    heard = np.zeros(n, np.int16)
    a = engine.add_leg(room, input=sine(600, -20, 8000, n), **plain())
    engine.add_leg(room, heard=heard, **plain())
    engine.tick(50)
    engine.update_leg(a, direction=libconf.MediaDirection.recvonly)  # the peer holds the call
    engine.tick(50)
    engine.update_leg(a, direction=libconf.MediaDirection.sendrecv)
    engine.tick(100)
    assert tone_level_dbfs(heard[4000:7600], 600, 8000) == pytest.approx(-20, abs=1.0)
    assert tone_level_dbfs(heard[8800:15600], 600, 8000) < -60
    assert tone_level_dbfs(heard[20000:31000], 600, 8000) == pytest.approx(-20, abs=1.5)
    updated = [e.value for e in engine.poll_events() if e.kind == libconf.EventKind.leg_updated]
    assert updated == [int(libconf.MediaDirection.recvonly), int(libconf.MediaDirection.sendrecv)]


def test_health_reports_every_worker():
    engine = libconf.Engine(workers=2)
    for i in range(3):
        room = engine.create_room(sample_rate_hz=16000)
        engine.add_leg(room, codec="opus", input=sine(400, -20, 16000, 16000))
    engine.tick(20)
    health = engine.health()
    assert health.ptime_ms == 20 and len(health.workers) == 2
    assert sum(w.legs for w in health.workers) == 3
    assert all(w.ticks == 20 and w.critical_events_dropped == 0 for w in health.workers)
    busy = max(health.workers, key=lambda w: w.legs)
    assert 0 < busy.tick_p50_us <= busy.tick_p99_us <= busy.tick_max_us
    assert libconf.is_critical(libconf.EventKind.playback_done)
    assert not libconf.is_critical(libconf.EventKind.talking_started)
