#!/usr/bin/python3
"""Plots and tabulates jitter_sim's CSV (docs/jitter.md).

usage: plot_jitter.py CSV OUT_PNG [OUT_MD]

For every trace: late loss against mean added delay for each buffer's sweep
(one point per setting; the default setting is ringed). The table gives both
defaults, then compares at equal mean added delay: for every libconf setting
whose delay lies inside SpeexDSP's swept range, SpeexDSP's late loss at that
delay is interpolated on the lower envelope of all its settings (linear in
log late-loss), and the ratio libconf / SpeexDSP is taken. Points where
SpeexDSP's interpolated loss is below 0.005 % (one packet in 20 000: too few
to measure) are left out. The table reports the median and range of those ratios.
"""
import csv
import math
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

FLOOR = 0.001  # percent; a measured zero is drawn and interpolated as this


def load(path):
    rows = defaultdict(lambda: defaultdict(list))
    for r in csv.DictReader(open(path)):
        for k in ("mean_delay_ms", "p95_delay_ms", "late_loss_pct", "concealed_pct", "value"):
            r[k] = float(r[k])
        r["is_default"] = r["is_default"] == "1"
        rows[r["trace"]][r["buffer"]].append(r)
    return rows


def interpolate(points, delay):
    """Late loss (%) of a sweep at a mean delay; None outside its range."""
    pts = sorted((p["mean_delay_ms"], max(p["late_loss_pct"], FLOOR)) for p in points)
    # Keep the lower envelope: the best late loss reachable at or below each delay.
    env = []
    for d, l in pts:
        if env and l >= env[-1][1]:
            continue
        env.append((d, l))
    if not env or delay < env[0][0]:
        return None
    if delay >= env[-1][0]:
        return env[-1][1]
    for (d0, l0), (d1, l1) in zip(env, env[1:]):
        if d0 <= delay <= d1:
            if d1 == d0:
                return l1
            f = (delay - d0) / (d1 - d0)
            return math.exp(math.log(l0) + f * (math.log(l1) - math.log(l0)))
    return None


def main():
    rows = load(sys.argv[1])
    traces = list(rows.keys())
    cols = 3
    nrows = (len(traces) + cols - 1) // cols
    fig, axes = plt.subplots(nrows, cols, figsize=(5 * cols, 3.8 * nrows), squeeze=False)
    colors = {"libconf": "tab:blue", "speexdsp": "tab:red"}
    table = []
    for i, t in enumerate(traces):
        ax = axes[i // cols][i % cols]
        for buf, pts in rows[t].items():
            pts = sorted(pts, key=lambda p: p["mean_delay_ms"])
            xs = [p["mean_delay_ms"] for p in pts]
            ys = [max(p["late_loss_pct"], FLOOR) for p in pts]
            ax.plot(xs, ys, "o-", color=colors.get(buf, "k"), label=buf, markersize=4)
            for p in pts:
                if p["is_default"]:
                    ax.plot(p["mean_delay_ms"], max(p["late_loss_pct"], FLOOR), "o", markersize=11,
                            markerfacecolor="none", markeredgecolor=colors.get(buf, "k"))
        ax.set_yscale("log")
        ax.set_title(t)
        ax.set_xlabel("mean added delay (ms)")
        ax.set_ylabel("late loss (%)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
        lib = rows[t].get("libconf", [])
        spx = rows[t].get("speexdsp", [])
        lib_def = next((p for p in lib if p["is_default"]), None)
        spx_def = next((p for p in spx if p["is_default"]), None)
        if lib_def and spx_def:
            ratios = []
            for p in lib:
                s = interpolate(spx, p["mean_delay_ms"])
                if s is None or s < 0.005:
                    continue
                ratios.append((max(p["late_loss_pct"], FLOOR) / s, p["mean_delay_ms"]))
            table.append((t, lib_def, spx_def, ratios))
    for j in range(len(traces), nrows * cols):
        axes[j // cols][j % cols].axis("off")
    fig.suptitle("Late loss vs mean added delay (each point one setting; ringed = default)")
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=90)

    lines = [
        "| trace | libconf default (q 0.95): mean / p95 delay ms | late % | concealed % "
        "| SpeexDSP default (late rate 4): mean / p95 delay ms | late % | concealed % "
        "| late-loss ratio libconf / SpeexDSP at equal delay: median (range, points) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for t, ld, sd, ratios in table:
        if ratios:
            rs = sorted(r for r, _ in ratios)
            med = rs[len(rs) // 2] if len(rs) % 2 else 0.5 * (rs[len(rs) // 2 - 1] + rs[len(rs) // 2])
            cmp_text = "%.2f (%.2f-%.2f, %d)" % (med, rs[0], rs[-1], len(rs))
        else:
            cmp_text = "n/a"
        lines.append(
            "| %s | %.1f / %.1f | %.3f | %.3f | %.1f / %.1f | %.3f | %.3f | %s |"
            % (t, ld["mean_delay_ms"], ld["p95_delay_ms"], ld["late_loss_pct"], ld["concealed_pct"],
               sd["mean_delay_ms"], sd["p95_delay_ms"], sd["late_loss_pct"], sd["concealed_pct"], cmp_text))
    text = "\n".join(lines) + "\n"
    if len(sys.argv) > 3:
        open(sys.argv[3], "w").write(text)
    print(text)


if __name__ == "__main__":
    main()
