#!/usr/bin/env python3
"""Instruction counts of the benchmarks' figures under callgrind: `make bench-counts` writes
them, `make bench-check` compares them with the committed tests/bench/instructions.json.

Each figure's two sides (lvzhi and its baseline, raw SQLite doing the same work) run in a
process of their own under `valgrind --tool=callgrind --instr-atstart=no`: the benchmark
skips to the figure (LVZHI_BENCH_COUNT=<figure>:<side>), and lvzhi-callgrind switches the
instrumentation on around that side alone. An instruction count is the same from run to run
whatever else the machine does, so a change of a few percent is a change of the code.

    counts.py run   [--out FILE]            count every figure, print a table, write JSON
    counts.py check [--baseline FILE]       count, and fail if a figure's lvzhi side grew by
                                            more than 10 % over the committed count
    --only year-close,merge                 count these figures alone
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASELINE = os.path.join(ROOT, "tests", "bench", "instructions.json")
TOLERANCE = 0.10

# (bench target, figure, what it is)
FIGURES = [
    ("year_close", "year-tally", "year tally 2024 (1,000,000-record ledger)"),
    ("year_close", "year-close", "year close 2024: tally, paragraph and every breakdown"),
    ("year_close", "member-breakdown", "member breakdown 2024"),
    ("year_close", "list-page-90001", "list page, rows 90,001–90,100"),
    ("year_close", "xlsx-export", "xlsx export of 2024"),
    ("package_merge", "merge", "merge of a 100,000-record package"),
    ("roster_import", "roster-import", "roster import of 10,000 members (xlsx)"),
]


def bench_binaries():
    """Builds the benchmarks (release) and returns {target name: executable}."""
    out = subprocess.run(
        ["cargo", "bench", "-p", "lvzhi-core", "--no-run", "--message-format=json"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    found = {}
    for line in out.splitlines():
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        target = msg.get("target", {})
        if msg.get("reason") == "compiler-artifact" and "bench" in target.get("kind", []) \
                and msg.get("executable"):
            found[target["name"]] = msg["executable"]
    return found


def count(binary, figure, side):
    """The instructions (callgrind's Ir) of one side of one figure."""
    with tempfile.TemporaryDirectory() as tmp:
        out_file = os.path.join(tmp, "callgrind.out")
        env = dict(os.environ, LVZHI_BENCH_COUNT=f"{figure}:{side}")
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no",
             f"--callgrind-out-file={out_file}", binary],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )
        if run.returncode != 0 or f"counted {figure}:{side}" not in run.stdout:
            sys.exit(f"{figure}:{side} did not run to its count:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
        with open(out_file) as f:
            for line in f:
                m = re.match(r"totals:\s+(\d+)", line)
                if m:
                    return int(m.group(1))
    sys.exit(f"{figure}:{side}: callgrind wrote no totals")


def measure(only=None):
    binaries = bench_binaries()
    # The data the year-close figures read, made natively once (target/bench-data/).
    subprocess.run([binaries["year_close"]], cwd=ROOT, check=True,
                   env=dict(os.environ, LVZHI_BENCH_PREPARE="1"))
    counts = {}
    for bench, figure, what in FIGURES:
        if only and figure not in only:
            continue
        started = time.time()
        ours = count(binaries[bench], figure, "lvzhi")
        base = count(binaries[bench], figure, "baseline")
        counts[figure] = {"what": what, "lvzhi": ours, "baseline": base}
        print(f"{what:<46} lvzhi {ours/1e6:>10.1f} M   baseline {base/1e6:>10.1f} M   "
              f"ratio {ours/base:>5.2f}   ({time.time() - started:.0f} s)", flush=True)
    return counts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["run", "check"])
    parser.add_argument("--out", default=os.path.join(ROOT, "target", "bench-counts.json"))
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--only", help="comma-separated figures to count (default: all)")
    args = parser.parse_args()
    started = time.time()
    counts = measure(set(args.only.split(",")) if args.only else None)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(counts, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print(f"written {args.out} in {time.time() - started:.0f} s")
    if args.mode == "run":
        return
    with open(args.baseline) as f:
        committed = json.load(f)
    failed = False
    for figure, now in counts.items():
        before = committed.get(figure)
        if before is None:
            print(f"{figure}: no committed count (add it with make bench-counts)")
            continue
        change = now["lvzhi"] / before["lvzhi"] - 1
        verdict = "REGRESSED" if change > TOLERANCE else "ok"
        failed |= change > TOLERANCE
        print(f"{figure:<18} {before['lvzhi']/1e6:>10.1f} M → {now['lvzhi']/1e6:>10.1f} M  "
              f"{change:+.1%}  {verdict}")
    if failed:
        sys.exit(f"a figure grew by more than {TOLERANCE:.0%} over {args.baseline}")


if __name__ == "__main__":
    main()
