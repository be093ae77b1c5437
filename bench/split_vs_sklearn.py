#!/usr/bin/python3
"""How close does `clipset split` get to the target ratios, next to scikit-learn's group-aware
splitters on the same manifests?

For several generated manifests (clips cut from recordings; the recording is the group; skewed
class frequencies; some multi-label clips) it runs:

  clipset split (balanced)       80/10/10, by group, stratified by labels
  clipset split (hash)           80/10/10, by group, by hash of the group key
  StratifiedGroupKFold(10)       fold 0 as test, fold 1 as val, the rest as train (80/10/10)
  GroupShuffleSplit              80/20 by group, then the 20 split 50/50 by group
and, for cross-validation, clipset split --folds 5 against StratifiedGroupKFold(5).

Every deviation is computed here, the same way for every tool, from the assignments:
  split size:  items in the split / all items - target ratio
  class:       items of the class in the split / items of the class - target ratio
(multi-label items count for each of their labels; scikit-learn sees each clip's first label,
since its stratified splitters take one class per sample). Leakage is checked too: no group may
be in two splits.

Uses Debian's python3-sklearn (run with /usr/bin/python3). A report, not a test: exits 0 unless
a tool fails or leaks.

    bench/split_vs_sklearn.py [--clipset build/apps/clipset/clipset] [--manifests 5] [--items 20000]
"""

import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.model_selection import GroupShuffleSplit, StratifiedGroupKFold

RATIOS = [0.8, 0.1, 0.1]
NAMES = ["train", "val", "test"]


def generate(seed, items, groups, classes):
    """Clips cut from recordings: (records, group per clip, label lists per clip)."""
    rng = random.Random(seed)
    weights = [1.0 / (1 + 0.1 * c) for c in range(classes)]
    sizes = [rng.expovariate(1.0) + 0.05 for _ in range(groups)]
    total = sum(sizes)
    sizes = [max(1, int(s * items / total)) for s in sizes]
    records = []
    for g, size in enumerate(sizes):
        cls = rng.choices(range(classes), weights)[0]
        second = (cls + 1) % classes if rng.random() < 0.1 else None
        for k in range(size):
            labels = ["class_%d" % cls]
            if second is not None and rng.random() < 0.3:
                labels.append("class_%d" % second)
            records.append({
                "id": "rec%05d_%05d" % (g, k),
                "path": "clips/rec%05d_%05d.wav" % (g, k),
                "duration": 1.0,
                "labels": labels,
                "group": "rec%05d" % g,
            })
    return records


def deviations(records, assigned, names, ratios):
    """(max |split size dev|, max |class dev|, mean |class dev|) in percentage points."""
    n = len(records)
    size = {name: 0 for name in names}
    per_class = {}
    for r, where in zip(records, assigned):
        size[where] += 1
        for label in r["labels"]:
            per_class.setdefault(label, {name: 0 for name in names})[where] += 1
    split_dev = max(abs(size[s] / n - t) for s, t in zip(names, ratios))
    class_devs = []
    for counts in per_class.values():
        total = sum(counts.values())
        class_devs += [abs(counts[s] / total - t) for s, t in zip(names, ratios)]
    return 100 * split_dev, 100 * max(class_devs), 100 * sum(class_devs) / len(class_devs)


def check_no_leak(records, assigned, what):
    where = {}
    for r, a in zip(records, assigned):
        if where.setdefault(r["group"], a) != a:
            sys.exit("%s: group %s is in two parts (%s, %s)" % (what, r["group"], where[r["group"]], a))


def run_clipset(clipset, records, args):
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "m.jsonl")
        with open(src, "w") as f:
            for r in records:
                f.write(json.dumps(r) + "\n")
        start = time.perf_counter()
        out = subprocess.run([clipset, "split", src, "-q", "--progress", "never"] + args,
                             check=True, capture_output=True, text=True).stdout
        seconds = time.perf_counter() - start
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == [r["id"] for r in records], "clipset changed the items"
    return rows, seconds


def sklearn_sgkf(records, seed, folds):
    y = np.array([r["labels"][0] for r in records])
    groups = np.array([r["group"] for r in records])
    cv = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    fold = np.empty(len(records), dtype=int)
    for k, (_, test) in enumerate(cv.split(np.zeros(len(records)), y, groups)):
        fold[test] = k
    return fold


def sklearn_gss(records, seed):
    groups = np.array([r["group"] for r in records])
    idx = np.arange(len(records))
    first = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=seed)
    train, rest = next(first.split(idx, groups=groups))
    second = GroupShuffleSplit(n_splits=1, test_size=0.5, random_state=seed)
    val, test = next(second.split(rest, groups=groups[rest]))
    assigned = np.empty(len(records), dtype=object)
    assigned[train] = "train"
    assigned[rest[val]] = "val"
    assigned[rest[test]] = "test"
    return list(assigned)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--clipset", default=os.path.join(repo, "build", "apps", "clipset", "clipset"))
    parser.add_argument("--manifests", type=int, default=5, help="generated manifests (seeds 1..N)")
    parser.add_argument("--items", type=int, default=20000)
    parser.add_argument("--groups", type=int, default=300)
    parser.add_argument("--classes", type=int, default=10)
    args = parser.parse_args()
    if not os.access(args.clipset, os.X_OK):
        sys.exit("no clipset binary at %s (build it, or pass --clipset)" % args.clipset)

    tools = ["clipset balanced", "clipset hash", "sklearn StratifiedGroupKFold(10)", "sklearn GroupShuffleSplit"]
    split_rows = {t: [] for t in tools}
    fold_rows = {t: [] for t in ["clipset --folds 5", "sklearn StratifiedGroupKFold(5)"]}
    for seed in range(1, args.manifests + 1):
        records = generate(seed, args.items, args.groups, args.classes)

        rows, secs = run_clipset(args.clipset, records, ["--seed", str(seed)])
        assigned = [r["split"] for r in rows]
        check_no_leak(records, assigned, "clipset balanced")
        split_rows["clipset balanced"].append(deviations(records, assigned, NAMES, RATIOS) + (secs,))

        rows, secs = run_clipset(args.clipset, records, ["--method", "hash"])
        assigned = [r["split"] for r in rows]
        check_no_leak(records, assigned, "clipset hash")
        split_rows["clipset hash"].append(deviations(records, assigned, NAMES, RATIOS) + (secs,))

        start = time.perf_counter()
        fold = sklearn_sgkf(records, seed, 10)
        secs = time.perf_counter() - start
        assigned = ["test" if f == 0 else "val" if f == 1 else "train" for f in fold]
        check_no_leak(records, assigned, "StratifiedGroupKFold")
        split_rows["sklearn StratifiedGroupKFold(10)"].append(deviations(records, assigned, NAMES, RATIOS) + (secs,))

        start = time.perf_counter()
        assigned = sklearn_gss(records, seed)
        secs = time.perf_counter() - start
        check_no_leak(records, assigned, "GroupShuffleSplit")
        split_rows["sklearn GroupShuffleSplit"].append(deviations(records, assigned, NAMES, RATIOS) + (secs,))

        fold_names = [str(k) for k in range(5)]
        rows, secs = run_clipset(args.clipset, records, ["--seed", str(seed), "--folds", "5"])
        assigned = [str(r["fold"]) for r in rows]
        check_no_leak(records, assigned, "clipset --folds")
        fold_rows["clipset --folds 5"].append(deviations(records, assigned, fold_names, [0.2] * 5) + (secs,))
        start = time.perf_counter()
        assigned = [str(f) for f in sklearn_sgkf(records, seed, 5)]
        secs = time.perf_counter() - start
        fold_rows["sklearn StratifiedGroupKFold(5)"].append(deviations(records, assigned, fold_names, [0.2] * 5) + (secs,))

    def table(title, rows):
        print(title)
        print("  %-34s %16s %16s %16s %10s" % ("tool", "max |size dev|", "max |class dev|", "mean |class dev|", "seconds"))
        for tool, values in rows.items():
            cols = list(zip(*values))
            print("  %-34s %13.2f pp %13.2f pp %13.2f pp %10.2f" % (
                tool, sum(cols[0]) / len(values), sum(cols[1]) / len(values), sum(cols[2]) / len(values),
                sum(cols[3]) / len(values)))
        print()

    import sklearn
    print("== clipset split vs scikit-learn %s: deviation from the target ratios ==" % sklearn.__version__)
    print("%d manifests (seeds 1..%d): %d clips from %d recordings, %d classes (skewed, ~3%% multi-label);"
          % (args.manifests, args.manifests, args.items, args.groups, args.classes))
    print("means over the manifests; deviations in percentage points of each class (or of all items)")
    print()
    table("Train/val/test 80/10/10 by recording:", split_rows)
    table("5 folds by recording:", fold_rows)

    ours = [row[1] for row in split_rows["clipset balanced"]]
    theirs = [row[1] for row in split_rows["sklearn StratifiedGroupKFold(10)"]]
    ok = sum(ours) <= sum(theirs)
    print("%s  clipset balanced's class deviation is no worse than StratifiedGroupKFold's (%.2f vs %.2f pp)"
          % ("PASS" if ok else "FAIL", sum(ours) / len(ours), sum(theirs) / len(theirs)))
    ours = [row[1] for row in fold_rows["clipset --folds 5"]]
    theirs = [row[1] for row in fold_rows["sklearn StratifiedGroupKFold(5)"]]
    ok = sum(ours) <= sum(theirs)
    print("%s  clipset --folds 5 class deviation is no worse than StratifiedGroupKFold(5)'s (%.2f vs %.2f pp)"
          % ("PASS" if ok else "FAIL", sum(ours) / len(ours), sum(theirs) / len(theirs)))


if __name__ == "__main__":
    main()
