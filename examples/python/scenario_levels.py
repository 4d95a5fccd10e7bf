#!/usr/bin/env python3
"""Runs a conference scenario and plots what each participant heard, over time.

    PYTHONPATH=build/release/bindings/python /usr/bin/python3 examples/python/scenario_levels.py \
        examples/confmix/demo/demo.json out/ --png out/levels.png

runs the scenario on the virtual clock (writing <name>.wav, events.jsonl and
summary.json into out/) and draws one panel per participant: the level (dBFS,
100 ms windows) of the audio that participant heard.
"""

import argparse
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import libconf  # noqa: E402


def levels(samples, rate, window_s=0.1):
    """(times in s, levels in dBFS) of consecutive windows."""
    n = int(rate * window_s)
    count = len(samples) // n
    times = (np.arange(count) + 0.5) * window_s
    return times, np.array([libconf.rms_dbfs(samples[i * n:(i + 1) * n]) for i in range(count)])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario")
    parser.add_argument("out_dir")
    parser.add_argument("--png", help="plot file (default <out_dir>/levels.png)")
    args = parser.parse_args()

    scenario = libconf.load_scenario(args.scenario)

    def progress(fraction):
        print(f"\r{fraction * 100:5.1f} %", end="", file=sys.stderr, flush=True)

    result = libconf.run_scenario(scenario, args.out_dir, progress=progress)
    print(file=sys.stderr)
    print(f"{result.duration_s:.1f} s of conference in {result.wall_s:.2f} s")

    parts = result.participants
    fig, axes = plt.subplots(len(parts), 1, sharex=True, squeeze=False, figsize=(10, 1.2 + 1.4 * len(parts)))
    for ax, p in zip(axes[:, 0], parts):
        samples, rate = libconf.read_audio_file(str(p.heard_wav))
        t, db = levels(samples, rate)
        ax.fill_between(t, -80, np.maximum(db, -80), step="mid", alpha=0.6)
        ax.set_ylim(-80, 0)
        ax.set_ylabel(p.name)
        ax.grid(True, alpha=0.3)
        print(f"{p.name:12s} heard {p.heard_level_dbfs:6.1f} dBFS, talked {p.talk_s:5.1f} s, digits '{p.digits}'")
    axes[-1, 0].set_xlabel("time (s)")
    fig.suptitle(f"Level each participant heard (dBFS, 100 ms windows): {pathlib.Path(args.scenario).name}")
    png = pathlib.Path(args.png) if args.png else pathlib.Path(args.out_dir) / "levels.png"
    fig.tight_layout()
    fig.savefig(png, dpi=100)
    print(f"plot: {png}")


if __name__ == "__main__":
    main()
