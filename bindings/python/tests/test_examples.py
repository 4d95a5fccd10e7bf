"""Runs each script of examples/python on small generated inputs, so they cannot rot."""

import json
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import libconf
from signals import speech_like

EXAMPLES = pathlib.Path(__file__).resolve().parents[3] / "examples" / "python"


def run(script, *args):
    env = dict(os.environ)
    # The package this test imported, wherever it came from (build tree or install).
    env["PYTHONPATH"] = os.pathsep.join(
        [str(pathlib.Path(libconf.__file__).parents[1])] + [p for p in [env.get("PYTHONPATH")] if p])
    proc = subprocess.run([sys.executable, str(EXAMPLES / script), *map(str, args)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_mix_two_wavs(tmp_path):
    libconf.write_wav(str(tmp_path / "ann.wav"), speech_like(-20, 8000, 2, seed=1), 8000)
    libconf.write_wav(str(tmp_path / "ben.wav"), np.zeros(16000, np.int16), 8000)
    run("mix_two_wavs.py", tmp_path / "ann.wav", tmp_path / "ben.wav", tmp_path / "out")
    ann, _ = libconf.read_audio_file(str(tmp_path / "out" / "ann_hears.wav"))
    ben, _ = libconf.read_audio_file(str(tmp_path / "out" / "ben_hears.wav"))
    assert libconf.rms_dbfs(ann) < -90           # ann hears silent ben, not herself
    assert libconf.rms_dbfs(ben) > -30           # ben hears ann


def test_detect_dtmf(tmp_path):
    gen = libconf.DtmfGenerator(sample_rate_hz=16000)
    gen.queue("0815*")
    libconf.write_wav(str(tmp_path / "call.wav"), gen.generate(16000 * 2), 16000)
    out = run("detect_dtmf.py", tmp_path / "call.wav")
    assert out.strip().splitlines()[-1] == "digits: 0815*"


def test_scenario_levels(tmp_path):
    libconf.write_wav(str(tmp_path / "a.wav"), speech_like(-22, 8000, 2, seed=2), 8000)
    doc = {"rooms": [{"name": "r", "sample_rate_hz": 8000}],
           "participants": [{"name": "a", "input": "a.wav"}, {"name": "b"}], "duration_s": 3}
    (tmp_path / "s.json").write_text(json.dumps(doc))
    out = run("scenario_levels.py", tmp_path / "s.json", tmp_path / "out", "--png", tmp_path / "levels.png")
    png = (tmp_path / "levels.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    lines = out.splitlines()
    assert any(line.startswith("a ") and "heard" in line for line in lines)
    assert any(line.startswith("b ") and "heard" in line for line in lines)
    assert lines[-1].startswith("plot:")
