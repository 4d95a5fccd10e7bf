#!/usr/bin/env python3
"""Detects the DTMF digits in a recording.

    PYTHONPATH=build/release/bindings/python /usr/bin/python3 examples/python/detect_dtmf.py call.wav

prints one line per digit (start time, duration) and then "digits: <all digits>".
Any libsndfile format; rates other than 8/16/24/32/48 kHz are resampled to 8 kHz.
"""

import argparse

import libconf


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("recording")
    args = parser.parse_args()

    samples, rate = libconf.read_audio_file(args.recording)
    if not libconf.is_supported_sample_rate(rate):
        samples, rate = libconf.read_audio_file(args.recording, 8000)

    detector = libconf.DtmfDetector(sample_rate_hz=rate)
    digits = ""
    for event in detector.process(samples):
        if event.end:
            print(f"{event.start_sample / rate:8.3f} s  {event.digit}  {event.duration_ms} ms")
            digits += event.digit
    print(f"digits: {digits}")


if __name__ == "__main__":
    main()
