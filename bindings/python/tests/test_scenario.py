import json
import wave

import numpy as np
import pytest

import libconf
from signals import speech_like


def write_wav(path, samples, rate):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())


def make_scenario(tmp_path):
    write_wav(tmp_path / "alice.wav", speech_like(-22, 8000, 3, seed=3), 8000)
    libconf.write_wav(str(tmp_path / "bob.wav"), speech_like(-24, 16000, 2, seed=4), 16000)
    doc = {
        "ptime_ms": 20,
        "rooms": [{"name": "main", "sample_rate_hz": 16000}],
        "participants": [
            {"name": "alice", "input": "alice.wav", "codec": "PCMU", "join_s": 0},
            {"name": "bob", "input": "bob.wav", "codec": "opus", "join_s": 0, "input_start_s": 3.5},
            {"name": "carol", "codec": "PCMA", "join_s": 0.2},
        ],
        "timeline": [{"at_s": 2.0, "action": "dtmf", "who": "carol", "digits": "12#"}],
        "duration_s": 6,
    }
    path = tmp_path / "call.json"
    path.write_text(json.dumps(doc))
    return path


def test_run_scenario_from_python(tmp_path):
    scenario = libconf.load_scenario(str(make_scenario(tmp_path)))
    assert [p.name for p in scenario.participants] == ["alice", "bob", "carol"]
    assert scenario.rooms[0].sample_rate_hz == 16000
    progress = []
    out = tmp_path / "out"
    result = libconf.run_scenario(scenario, str(out), progress=progress.append)
    assert result.duration_s == pytest.approx(6, abs=0.05)
    assert result.ticks == pytest.approx(300, abs=2)
    assert progress and progress == sorted(progress) and progress[-1] == pytest.approx(1.0, abs=0.02)
    parts = {p.name: p for p in result.participants}
    assert parts["carol"].digits == "12#"
    assert parts["alice"].talk_s > 1.0 and parts["alice"].talk_spurts >= 1
    assert (out / "events.jsonl").exists() and (out / "summary.json").exists()

    carol, rate = libconf.read_audio_file(str(parts["carol"].heard_wav))
    assert rate == parts["carol"].sample_rate_hz
    # Carol hears alice during 0.5..3 s and bob during 3.5..5.5 s; alice does not hear herself.
    assert libconf.rms_dbfs(carol[int(0.5 * rate):3 * rate]) > -35
    assert libconf.rms_dbfs(carol[int(3.8 * rate):int(5.4 * rate)]) > -35
    alice, arate = libconf.read_audio_file(str(parts["alice"].heard_wav))
    assert libconf.rms_dbfs(alice[int(0.5 * arate):3 * arate]) < -50
    # The DTMF carol typed stays out of what the others hear.
    assert libconf.DtmfDetector(arate).digits(alice) == ""


def test_progress_callback_exception_aborts_the_run(tmp_path):
    scenario = libconf.load_scenario(str(make_scenario(tmp_path)))

    def stop(fraction):
        if fraction > 0.2:
            raise KeyboardInterrupt("stop")

    with pytest.raises(KeyboardInterrupt):
        libconf.run_scenario(scenario, str(tmp_path / "out"), progress=stop)


def test_parse_scenario_from_a_string(tmp_path):
    s = libconf.parse_scenario('{"rooms": [{"name": "r"}], "participants": [{"name": "a"}], "duration_s": 1}',
                               "inline", str(tmp_path))
    assert s.source == "inline" and s.duration_s == 1
    result = libconf.run_scenario(s, str(tmp_path / "o"))
    assert result.participants[0].name == "a"
