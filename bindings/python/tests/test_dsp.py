import numpy as np
import pytest

import libconf
from signals import sine, speech_like


@pytest.mark.parametrize("rate", [8000, 16000, 48000])
def test_dtmf_detects_every_generated_digit(rate):
    gen = libconf.DtmfGenerator(sample_rate_hz=rate, on_ms=60, off_ms=60)
    gen.queue(libconf.DTMF_DIGITS)
    signal = gen.generate(int(rate * 0.12 * 16) + rate // 10)
    assert gen.idle
    det = libconf.DtmfDetector(sample_rate_hz=rate)
    events = det.process(signal)
    starts = [e for e in events if not e.end]
    ends = [e for e in events if e.end]
    assert "".join(e.digit for e in starts) == "123A456B789C*0#D"
    assert len(ends) == 16
    for i, e in enumerate(ends):
        assert e.duration_ms == pytest.approx(60, abs=12)
        assert e.start_sample == pytest.approx(i * 0.12 * rate, abs=0.01 * rate)


def test_dtmf_in_noise_and_blocks():
    gen = libconf.DtmfGenerator(sample_rate_hz=8000, level_dbm0=-20)
    gen.queue("4711#")
    signal = gen.generate(8000 * 2)
    noise = libconf.ComfortNoise(level_dbfs=-50, color=libconf.NoiseColor.WHITE).generate(len(signal))
    mixed = np.clip(signal.astype(np.int32) + noise, -32768, 32767).astype(np.int16)
    det = libconf.DtmfDetector(8000)
    digits = "".join(det.digits(mixed[i:i + 160]) for i in range(0, len(mixed), 160))
    assert digits == "4711#"


def test_speech_and_tones_are_not_digits():
    det = libconf.DtmfDetector(8000)
    assert det.digits(speech_like(-15, 8000, 3)) == ""
    busy = libconf.ToneGenerator(8000, libconf.tone_spec(libconf.ToneRegion.EUROPE, libconf.CallProgressTone.BUSY))
    assert det.digits(busy.generate(16000)) == ""


def test_tone_generator_level_and_cadence():
    spec = libconf.ToneSpec([425.0], level_dbm0=-10.0, cadence_ms=[500, 500])
    gen = libconf.ToneGenerator(8000, spec)
    x = gen.generate(8000)
    on, off = x[:4000], x[4000:]
    assert libconf.rms_dbfs(on) == pytest.approx(-10 + libconf.DBM0_IN_DBFS, abs=0.2)
    assert libconf.rms_dbfs(off) == libconf.SILENCE_DBFS
    assert libconf.tone_region_from_name("japan") == libconf.ToneRegion.JAPAN
    with pytest.raises(libconf.NotFound):
        libconf.tone_region_from_name("mars")


def test_comfort_noise_level_and_determinism():
    a = libconf.ComfortNoise(level_dbfs=-40, seed=7).generate(80000)
    b = libconf.ComfortNoise(level_dbfs=-40, seed=7).generate(80000)
    assert np.array_equal(a, b)
    assert libconf.rms_dbfs(a) == pytest.approx(-40, abs=0.5)


def test_agc_brings_a_quiet_talker_up():
    agc = libconf.Agc(sample_rate_hz=8000, target_level_dbfs=-20)
    quiet = speech_like(-35, 8000, 8)
    out = agc.process_signal(quiet)
    assert agc.gain_db > 10
    tail_in, tail_out = quiet[-8000 * 2:], out[-8000 * 2:]
    assert libconf.rms_dbfs(tail_out) - libconf.rms_dbfs(tail_in) > 10
    frame = quiet[:160].copy()
    assert agc.process(frame) is frame  # in place
    with pytest.raises(TypeError):
        agc.process(quiet[:160].astype(np.float32))


def test_talker_detector_talks_on_speech_not_on_a_tone():
    det = libconf.TalkerDetector(sample_rate_hz=8000)
    speech = speech_like(-25, 8000, 2)
    talking = [det.process(speech[i:i + 160]).talking for i in range(0, len(speech), 160)]
    assert sum(talking) > 0.7 * len(talking)
    det = libconf.TalkerDetector(sample_rate_hz=8000)
    tone = sine(440, -25, 8000, 8000 * 3)
    updates = [det.process(tone[i:i + 160]) for i in range(0, len(tone), 160)]
    assert not updates[-1].talking
