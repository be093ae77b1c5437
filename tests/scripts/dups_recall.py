#!/usr/bin/python3
"""Recall and false positives of `clipset dups` on a generated lake (issue 21): N recordings of one
"class" (tone melodies drawn from one recipe, each seeded differently: different recordings of the
same kind of sound), a share of them with a copy made by one of the transformations the issue
names (MP3 128k, AAC, Opus 32k, AMR-NB via sox, -6 dB, 22.05 kHz, a 0.5 s trim, a 5 s excerpt),
cycled in turn. Runs ingest and dups --annotate, then prints the figures: copies found in their
original's cluster (recall), and pairs between recordings of different originals (false
positives). Exit 0 when recall >= 95 % and no false positive, else 1. Needs numpy, sox, ffmpeg.

  tests/scripts/dups_recall.py --clipset build/apps/clipset/clipset --recordings 500 --work /tmp/dups-recall
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import wave

import numpy as np

RATE = 22050


def melody(seed, seconds):
    rng = np.random.default_rng(seed)
    out = np.zeros(int(seconds * RATE))
    t = 0
    while t < len(out):
        d = int(rng.uniform(0.08, 0.5) * RATE)
        f = 440 * 2 ** ((rng.integers(45, 85) - 69) / 12)
        tt = np.arange(d) / RATE
        env = np.minimum(1, tt / 0.01) * np.exp(-tt * rng.uniform(1, 6))
        sig = sum((0.6 ** h) * np.sin(2 * np.pi * f * (h + 1) * tt) for h in range(3)) * env
        if rng.random() < 0.2:
            sig = sig * 0.4 + rng.normal(0, 0.3, d) * env
        e = min(len(out), t + d)
        out[t:e] += sig[: e - t]
        t += int(d * rng.uniform(0.6, 1.0))
    out += rng.normal(0, 0.005, len(out))
    return 0.5 * out / np.max(np.abs(out))


def write_wav(path, x):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((x * 32767).astype("<i2").tobytes())


def run(argv):
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def ffmpeg(*args):
    run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", *args])


TRANSFORMS = {
    "mp3": lambda src, dst: ffmpeg("-i", src, "-b:a", "128k", dst + ".mp3") or dst + ".mp3",
    "aac": lambda src, dst: ffmpeg("-i", src, "-c:a", "aac", "-b:a", "96k", dst + ".m4a") or dst + ".m4a",
    "opus": lambda src, dst: ffmpeg("-i", src, "-c:a", "libopus", "-b:a", "32k", dst + ".ogg") or dst + ".ogg",
    "amr": lambda src, dst: run(["sox", src, "-r", "8000", "-c", "1", "-t", "amr-nb", "-C", "7", dst + ".amr"]) or dst + ".amr",
    "gain": lambda src, dst: ffmpeg("-i", src, "-af", "volume=-6dB", dst + ".wav") or dst + ".wav",
    "22k": lambda src, dst: ffmpeg("-i", src, "-ar", "22050", dst + ".wav") or dst + ".wav",
    "trim": lambda src, dst: ffmpeg("-i", src, "-ss", "0.5", dst + ".wav") or dst + ".wav",
    "excerpt": lambda src, dst: ffmpeg("-i", src, "-ss", "3", "-t", "5", dst + ".wav") or dst + ".wav",
}


def make_lake(work, recordings, copy_share, seconds):
    data = os.path.join(work, "data")
    shutil.rmtree(data, ignore_errors=True)
    os.makedirs(os.path.join(data, "orig"))
    os.makedirs(os.path.join(data, "copies"))
    origin = {}  # path under work -> the original's index
    names = list(TRANSFORMS)
    copies = 0
    originals = int(round(recordings / (1 + copy_share)))
    for i in range(originals):
        src = os.path.join(data, "orig", f"r{i:04d}.wav")
        write_wav(src, melody(i, seconds))
        origin[os.path.relpath(src, work)] = i
        if copies < recordings - originals:
            kind = names[copies % len(names)]
            dst = TRANSFORMS[kind](src, os.path.join(data, "copies", f"r{i:04d}_{kind}"))
            origin[os.path.relpath(dst, work)] = i
            copies += 1
    return origin


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--clipset", required=True)
    p.add_argument("--recordings", type=int, default=500)
    p.add_argument("--copies", type=float, default=0.5, help="copies per original (share)")
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--work", default="/tmp/clipset-dups-recall")
    a = p.parse_args()
    os.makedirs(a.work, exist_ok=True)
    origin = make_lake(a.work, a.recordings, a.copies, a.seconds)
    clipset = os.path.abspath(a.clipset)
    subprocess.run([clipset, "ingest", "data", "-o", "raw.jsonl", "-q"], check=True, cwd=a.work)
    subprocess.run([clipset, "dups", "raw.jsonl", "--no-cache", "-o", "pairs.jsonl", "--annotate", "annotated.jsonl", "-q"],
                   check=True, cwd=a.work)
    cluster, path_of = {}, {}
    for line in open(os.path.join(a.work, "annotated.jsonl")):
        r = json.loads(line)
        rel = r["path"]
        cluster[rel] = r["near_dup"]
        path_of[r["id"]] = rel
    copies = [rel for rel in origin if rel.startswith("data/copies/")]
    found = {}
    for rel in copies:
        orig = f"data/orig/r{origin[rel]:04d}.wav"
        kind = rel.rsplit("_", 1)[1].split(".")[0]
        hit = cluster[rel] == cluster[orig]
        found.setdefault(kind, [0, 0])
        found[kind][0] += hit
        found[kind][1] += 1
    false_pairs = 0
    pairs = 0
    least_check = {}
    for line in open(os.path.join(a.work, "pairs.jsonl")):
        r = json.loads(line)
        if r["type"] != "pair":
            continue
        pairs += 1
        if origin[path_of[r["a"]]] != origin[path_of[r["b"]]]:
            false_pairs += 1
            print("false positive:", r, file=sys.stderr)
        elif r.get("check") is not None:  # the spectrogram check that confirmed a fingerprint match
            copy = next(path_of[i] for i in (r["a"], r["b"]) if path_of[i].startswith("data/copies/"))
            kind = copy.rsplit("_", 1)[1].split(".")[0]
            least_check[kind] = min(least_check.get(kind, 1.0), r["check"])
    recall = sum(v[0] for v in found.values()) / max(1, len(copies))
    print(f"recordings {len(origin)}: {len(origin) - len(copies)} originals, {len(copies)} copies; pairs reported {pairs}")
    for kind, (hit, total) in sorted(found.items()):
        check = f"   least check {least_check[kind]:.3f}" if kind in least_check else ""
        print(f"  {kind:8s} {hit}/{total}{check}")
    print(f"recall {100 * recall:.1f} %, false positives {false_pairs}")
    return 0 if recall >= 0.95 and false_pairs == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
