import numpy as np
import pytest

import libconf
from signals import sine, tone_level_dbfs

RATE = 16000
FRAME = 320


def run(mixer, sources, listeners, ticks, talking):
    """Feeds sources {leg: signal} frame by frame; returns {leg: what it heard}."""
    heard = {leg: [] for leg in listeners}
    for t in range(ticks):
        for leg, signal in sources.items():
            mixer.input(leg)[:] = signal[t * FRAME:(t + 1) * FRAME]
            mixer.set_voice(leg, leg in talking, -20.0)
        mixer.mix()
        for leg in listeners:
            heard[leg].append(np.array(mixer.output(leg)))
    return {leg: np.concatenate(frames) for leg, frames in heard.items()}


def test_views_share_the_mixers_memory():
    mixer = libconf.Mixer(sample_rate_hz=RATE, ptime_ms=20)
    a = mixer.add_leg()
    view = mixer.input(a)
    assert view.dtype == np.int16 and view.shape == (FRAME,)
    assert view.base is mixer and view.flags.writeable
    view[:] = 1234
    assert np.all(mixer.input(a) == 1234)
    out = mixer.output(a)
    assert not out.flags.writeable and out.base is mixer
    with pytest.raises(ValueError):
        out[0] = 1


def test_n_minus_one_levels():
    mixer = libconf.Mixer(sample_rate_hz=RATE, ptime_ms=20)
    a, b = mixer.add_leg(), mixer.add_leg()
    ticks = 50
    heard = run(mixer, {a: sine(1000, -20, RATE, ticks * FRAME), b: np.zeros(ticks * FRAME, np.int16)},
                [a, b], ticks, talking={a})
    assert mixer.selected_talkers() == [a]
    assert libconf.rms_dbfs(heard[a]) < -90, "A never hears itself"
    assert libconf.rms_dbfs(heard[b]) == pytest.approx(-20, abs=0.5)
    assert mixer.output_group(b) == libconf.SHARED_GROUP


def test_two_talkers_hear_each_other_not_themselves():
    mixer = libconf.Mixer(sample_rate_hz=RATE, ptime_ms=20)
    a, b, c = (mixer.add_leg() for _ in range(3))
    ticks = 50
    n = ticks * FRAME
    heard = run(mixer, {a: sine(500, -20, RATE, n), b: sine(1500, -26, RATE, n), c: np.zeros(n, np.int16)},
                [a, b, c], ticks, talking={a, b})
    assert tone_level_dbfs(heard[a], 500, RATE) < -80
    assert tone_level_dbfs(heard[a], 1500, RATE) == pytest.approx(-26, abs=0.5)
    assert tone_level_dbfs(heard[b], 1500, RATE) < -80
    assert tone_level_dbfs(heard[b], 500, RATE) == pytest.approx(-20, abs=0.5)
    assert tone_level_dbfs(heard[c], 500, RATE) == pytest.approx(-20, abs=0.5)
    assert tone_level_dbfs(heard[c], 1500, RATE) == pytest.approx(-26, abs=0.5)


def test_whisper_reaches_only_its_target():
    mixer = libconf.Mixer(sample_rate_hz=RATE, ptime_ms=20)
    a, b, coach, d = (mixer.add_leg() for _ in range(4))
    mixer.set_state(coach, libconf.LegMixState(listen_only=True))
    mixer.add_whisper(coach, b)
    ticks = 40
    n = ticks * FRAME
    heard = run(mixer, {a: sine(500, -20, RATE, n), coach: sine(2000, -20, RATE, n),
                        b: np.zeros(n, np.int16), d: np.zeros(n, np.int16)},
                [a, b, coach, d], ticks, talking={a, coach})
    assert tone_level_dbfs(heard[b], 2000, RATE) == pytest.approx(-20, abs=0.5)
    assert tone_level_dbfs(heard[b], 500, RATE) == pytest.approx(-20, abs=0.5)
    for other in (a, d):
        assert tone_level_dbfs(heard[other], 2000, RATE) < -80
    assert tone_level_dbfs(heard[d], 500, RATE) == pytest.approx(-20, abs=0.5)
    assert tone_level_dbfs(heard[coach], 500, RATE) == pytest.approx(-20, abs=0.5)
    assert mixer.output_group(b) >= libconf.FIRST_UNIQUE_GROUP


def test_source_gain_and_mute():
    mixer = libconf.Mixer(sample_rate_hz=RATE, ptime_ms=20)
    a, b, c = (mixer.add_leg() for _ in range(3))
    mixer.set_source_gain(b, a, -12.0)
    ticks = 30
    n = ticks * FRAME
    heard = run(mixer, {a: sine(1000, -20, RATE, n)}, [b, c], ticks, talking={a})
    assert libconf.rms_dbfs(heard[b]) == pytest.approx(-32, abs=0.5)
    assert libconf.rms_dbfs(heard[c]) == pytest.approx(-20, abs=0.5)
    mixer.set_state(a, libconf.LegMixState(muted=True))
    heard = run(mixer, {a: sine(1000, -20, RATE, n)}, [b, c], ticks, talking={a})
    assert libconf.rms_dbfs(heard[c]) < -90
