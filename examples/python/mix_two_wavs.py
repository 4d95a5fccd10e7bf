#!/usr/bin/env python3
"""N-1 mix of two recordings: writes what each caller would hear.

    PYTHONPATH=build/release/bindings/python /usr/bin/python3 examples/python/mix_two_wavs.py \
        alice.wav bob.wav out/

writes out/alice_hears.wav (bob, as the mixer delivers him) and out/bob_hears.wav.
Each input is read at the mixing rate (any libsndfile format, resampled), cut
into 20 ms frames and given to libconf.Mixer; talker detection decides frame
by frame who is mixed, as in a real room.
"""

import argparse
import pathlib

import numpy as np

import libconf


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("first")
    parser.add_argument("second")
    parser.add_argument("out_dir")
    parser.add_argument("--rate", type=int, default=16000, help="mixing rate in Hz (default 16000)")
    args = parser.parse_args()

    out_dir = pathlib.Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [pathlib.Path(args.first), pathlib.Path(args.second)]
    signals = [libconf.read_audio_file(str(p), args.rate)[0] for p in paths]

    mixer = libconf.Mixer(sample_rate_hz=args.rate, ptime_ms=20, max_legs=2)
    frame = mixer.frame_samples
    length = max(len(s) for s in signals)
    length += -length % frame
    signals = [np.pad(s, (0, length - len(s))) for s in signals]
    legs = [mixer.add_leg() for _ in paths]
    detectors = [libconf.TalkerDetector(sample_rate_hz=args.rate, frame_samples=frame) for _ in paths]
    heard = [np.zeros(length, np.int16) for _ in paths]

    for start in range(0, length, frame):
        for leg, signal, detector in zip(legs, signals, detectors):
            block = signal[start:start + frame]
            mixer.input(leg)[:] = block           # writes straight into the mixer's buffer
            update = detector.process(block)
            mixer.set_voice(leg, update.talking, update.level_dbfs)
        mixer.mix()
        for leg, out in zip(legs, heard):
            out[start:start + frame] = mixer.output(leg)  # read-only view, copied here

    for path, out in zip(paths, heard):
        target = out_dir / f"{path.stem}_hears.wav"
        libconf.write_wav(str(target), out, args.rate)
        print(f"{target}: {libconf.rms_dbfs(out):.1f} dBFS")


if __name__ == "__main__":
    main()
