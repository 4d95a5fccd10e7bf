import numpy as np
import pytest

import libconf
from signals import sine, tone_level_dbfs


def test_levels():
    assert libconf.rms_dbfs(np.zeros(160, np.int16)) == libconf.SILENCE_DBFS
    full = sine(1000, -3.0103, 8000, 8000)
    assert libconf.rms_dbfs(full) == pytest.approx(-3.01, abs=0.02)
    assert libconf.rms_dbfs(sine(1000, -20, 8000, 8000)) == pytest.approx(-20, abs=0.01)
    assert libconf.peak_abs(np.array([3, -700, 5], np.int16)) == 700
    assert libconf.db_to_gain(-20) == pytest.approx(0.1)
    assert libconf.gain_to_db(2.0) == pytest.approx(6.0206, abs=1e-3)
    assert libconf.samples_per_frame(48000, 20) == 960


@pytest.mark.parametrize("name", ["PCMU", "PCMA"])
def test_g711_round_trip_all_65536_values(name):
    codec = libconf.create_codec(name)
    x = np.arange(-32768, 32768, dtype=np.int32).astype(np.int16)
    payload = codec.encode(x)
    assert len(payload) == 65536
    y = codec.decode(payload).astype(np.int32)
    assert y.shape == (65536,)
    # Quantisation error of the 8 segments: within half a step of the segment
    # (step <= |x|/16 + 8 for both laws in 16-bit units).
    err = np.abs(y - x.astype(np.int32))
    assert np.all(err <= np.abs(x.astype(np.int32)) // 16 + 8)
    assert np.all(np.diff(y) >= 0), "decode(encode(x)) must be monotonic"
    # Every code is a fixed point of encode(decode(code)) (µ-law's -0 maps to +0).
    codes = bytes(range(256))
    again = codec.encode(codec.decode(codes))
    differ = [c for c, d in zip(codes, again) if c != d]
    assert differ == ([0x7F] if name == "PCMU" else [])


def test_g711_snr_of_a_tone():
    codec = libconf.create_codec("PCMA")
    x = sine(1000, -10, 8000, 8000)
    y = codec.decode(codec.encode(x))
    noise = (y.astype(np.float64) - x) ** 2
    snr = 10 * np.log10(np.mean(x.astype(np.float64) ** 2) / np.mean(noise))
    assert snr > 35


def test_opus_keeps_the_level():
    codec = libconf.create_codec("opus", sample_rate_hz=16000, ptime_ms=20)
    assert codec.rtp_clock_rate_hz == 48000
    x = sine(1000, -20, 16000, 16000 * 2)
    payloads = codec.encode_frames(x)
    assert len(payloads) == 100 and all(0 < len(p) < 200 for p in payloads)
    y = codec.decode_frames(payloads)
    assert y.shape == x.shape
    assert tone_level_dbfs(y[8000:], 1000, 16000) == pytest.approx(-20, abs=1.0)
    # Concealment and FEC give a frame of the right length.
    assert codec.conceal().shape == (320,)
    assert codec.decode_fec(payloads[-1]).shape == (320,)


def test_codec_registry():
    reg = libconf.CodecRegistry()
    assert reg.names() == ["PCMU", "PCMA", "L16", "opus"]
    assert "pcmu" in reg and "G729" not in reg
    l16 = reg.create("L16", sample_rate_hz=16000)
    x = sine(440, -12, 16000, 320)
    payload = l16.encode(x)
    assert payload[:2] == int(x[0]).to_bytes(2, "big", signed=True)
    assert np.array_equal(l16.decode(payload), x)


def test_resampler_keeps_a_tone():
    r = libconf.Resampler(8000, 16000)
    x = sine(1000, -20, 8000, 8000)
    y = np.concatenate([r.process(x[i:i + 160]) for i in range(0, 8000, 160)])
    assert y.shape == (16000,)
    assert tone_level_dbfs(y[1600:], 1000, 16000) == pytest.approx(-20, abs=0.5)
    z = libconf.resample(x, 8000, 44100)
    assert abs(len(z) - 44100) <= 2
    assert tone_level_dbfs(z[4410:-4410], 1000, 44100) == pytest.approx(-20, abs=0.5)


def test_input_views_are_not_copied_for_int16_and_lists_work():
    assert libconf.rms_dbfs([0, 0, 0]) == libconf.SILENCE_DBFS
    x = sine(1000, -20, 8000, 1000)[::2]  # non-contiguous: converted, still correct
    assert libconf.rms_dbfs(x) == pytest.approx(-20, abs=0.1)
