#!/usr/bin/env python3
"""Generated fingerprints for bench/dups.sh: N recordings' Chromaprint-like fingerprints written
straight into a clipset fingerprint cache (docs/dups.md, "Cache"), with a manifest naming them by
sha256, so that `clipset dups` matches them without decoding any audio. Random 32-bit values
(the easy case for the index: real fingerprints repeat values more), and a share of planted
copies: an excerpt of an earlier fingerprint, every bit flipped with a probability (a re-encoded
copy). Prints the planted pairs' count; writes planted.tsv (copy id, original id)."""

import argparse
import hashlib
import json
import os
import struct

import numpy as np


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--count", type=int, default=100000)
    p.add_argument("--values", type=int, default=221, help="sub-fingerprints per recording (221: 30 s)")
    p.add_argument("--copies", type=float, default=0.01, help="share of recordings that are copies")
    p.add_argument("--flip", type=float, default=0.05, help="probability of each bit of a copy flipping")
    p.add_argument("--header-from", required=True, help="a .fp file clipset wrote: its definition line is reused")
    p.add_argument("--cache", required=True, help="the cache folder (as given to clipset dups --cache)")
    p.add_argument("--out", required=True, help="folder for manifest.jsonl and planted.tsv")
    a = p.parse_args()
    with open(a.header_from, "rb") as f:
        lines = f.read().split(b"\n")
    magic, definition = lines[0].decode(), lines[1].decode()
    folder = os.path.join(a.cache, hashlib.sha256(definition.encode()).hexdigest()[:16])
    rng = np.random.default_rng(1)
    step = 1365 / 11025
    prints = []
    planted = []
    with open(os.path.join(a.out, "manifest.jsonl"), "w") as manifest:
        for i in range(a.count):
            if i > 10 and rng.random() < a.copies:
                src = int(rng.integers(0, i))
                n = len(prints[src])
                length = int(rng.integers(min(40, n), n + 1))
                start = int(rng.integers(0, n - length + 1))
                flips = (rng.random((length, 32)) < a.flip) @ (1 << np.arange(32, dtype=np.uint64))
                values = prints[src][start:start + length] ^ flips.astype(np.uint32)
                planted.append((i, src))
            else:
                values = rng.integers(0, 2**32, a.values, dtype=np.uint64).astype(np.uint32)
            prints.append(values)
            sha = hashlib.sha256(b"bench recording %d" % i).hexdigest()
            seconds = (len(values) + 19) * step + 4096 / 11025
            body = values.astype("<u4").tobytes()
            head = f"{magic}\n{definition}\nseconds {seconds:.17g}\ncount {len(values)}\nshort 0\n".encode()
            d = os.path.join(folder, sha[:2])
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, sha + ".fp"), "wb") as f:
                f.write(head + body)
            manifest.write(json.dumps({"id": f"r{i:06d}", "path": f"absent/r{i:06d}.wav", "sha256": sha,
                                       "labels": [], "manifest_version": 1}) + "\n")
    with open(os.path.join(a.out, "planted.tsv"), "w") as f:
        for copy, src in planted:
            f.write(f"r{copy:06d}\tr{src:06d}\n")
    print(len(planted))


if __name__ == "__main__":
    main()
