"""Test signals and measurements for the libconf Python tests (levels in dBFS)."""

import numpy as np

FULL_SCALE = 32768.0


def sine(freq_hz, level_dbfs, rate_hz, samples, phase=0.0):
    """A sine whose RMS is level_dbfs (libconf's dBFS: RMS re full-scale square)."""
    amplitude = FULL_SCALE * 10 ** (level_dbfs / 20) * np.sqrt(2)
    t = np.arange(samples) / rate_hz
    return np.round(amplitude * np.sin(2 * np.pi * freq_hz * t + phase)).astype(np.int16)


def tone_level_dbfs(x, freq_hz, rate_hz, bandwidth_hz=30.0):
    """RMS level (dBFS) of the component of x within +-bandwidth_hz of freq_hz (Hann-windowed FFT)."""
    x = np.asarray(x, dtype=np.float64)
    w = np.hanning(len(x))
    spectrum = np.fft.rfft(x * w)
    freqs = np.fft.rfftfreq(len(x), 1.0 / rate_hz)
    band = np.abs(freqs - freq_hz) <= bandwidth_hz
    mean_square = 2.0 * np.sum(np.abs(spectrum[band]) ** 2) / (len(x) * np.sum(w**2))
    return 10 * np.log10(max(mean_square, 1e-30) / FULL_SCALE**2)


def speech_like(level_dbfs, rate_hz, seconds, seed=1):
    """Syllable-like bursts: 180 ms voiced tones (varying pitch, with harmonics)
    separated by 120 ms pauses, at level_dbfs during the bursts. Modulated like
    speech, so talker detection and AGC treat it as talk, unlike a steady tone."""
    rng = np.random.default_rng(seed)
    n = int(seconds * rate_hz)
    out = np.zeros(n)
    pos = 0
    burst = int(0.18 * rate_hz)
    gap = int(0.12 * rate_hz)
    while pos + burst < n:
        f0 = rng.uniform(120, 260)
        t = np.arange(burst) / rate_hz
        voiced = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 6))
        envelope = rng.uniform(0.4, 1.0) * np.sin(np.pi * np.arange(burst) / burst) ** 2
        out[pos:pos + burst] = voiced * envelope
        pos += burst + gap
    active = np.sqrt(np.mean(out[out != 0] ** 2))
    out *= FULL_SCALE * 10 ** (level_dbfs / 20) / active
    return np.clip(np.round(out), -32768, 32767).astype(np.int16)
