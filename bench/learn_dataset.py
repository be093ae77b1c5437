#!/usr/bin/python3
"""Writes the synthetic data set of bench/learn.sh: one-second PCM16 WAV clips in classes that a
log-mel classifier can learn but not perfectly, from several "recordings" (groups) per class,
and a manifest of them (JSON Lines, absolute paths, sha256) with no split yet.

Class c is a harmonic tone at 220 * 2^(c / 4) Hz (a minor third apart). Each recording has its
own pitch (off by about a semitone), harmonic mix and level of white noise (SNR -10 to 10 dB);
each clip is a random stretch of its recording's tone (a random 30-100% of the second, the rest
noise only) at a random level. Seeded: the same arguments give the same bytes.

  learn_dataset.py --out DIR --manifest FILE [--clips 20000] [--classes 10] [--groups 125]

Needs Debian's python3-numpy. Fast enough not to matter: ~4 s for 20,000 clips on one core.
"""

import argparse
import hashlib
import json
import os
import sys
import wave

import numpy as np


def write_wav(path, samples, rate):
    """float samples in [-1, 1) as PCM16 mono; returns the file's bytes."""
    pcm = np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    with open(path, "rb") as f:
        return f.read()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="folder of the clips (class_NN/rec_NNN_clip_NNNNN.wav)")
    parser.add_argument("--manifest", required=True, help="manifest to write (JSON Lines)")
    parser.add_argument("--clips", type=int, default=20000)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--groups", type=int, default=125, help="recordings per class (default 125)")
    parser.add_argument("--rate", type=int, default=16000)
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=20261126)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    n = int(round(args.seconds * args.rate))
    t = np.arange(2 * n) / args.rate
    noise = rng.standard_normal(8 * n).astype(np.float32)  # clips take stretches of it at random offsets
    recordings = []  # (class, group name, tone of 2n samples, noise level)
    for c in range(args.classes):
        for g in range(args.groups):
            pitch = 220.0 * 2.0 ** (c / 4.0 + rng.normal(0, 1 / 12))
            harmonics = rng.uniform(0.1, 1.0, 4) * np.array([1.0, 0.7, 0.5, 0.3])
            tone = sum(a * np.sin(2 * np.pi * (h + 1) * pitch * t + rng.uniform(0, 2 * np.pi))
                       for h, a in enumerate(harmonics) if (h + 1) * pitch < args.rate / 2)
            tone = (tone / np.sqrt(np.mean(tone ** 2))).astype(np.float32)
            snr_db = rng.uniform(-10, 10)
            recordings.append((c, f"class_{c:02d}_rec_{g:02d}", tone, np.float32(10 ** (-snr_db / 20))))

    out = os.path.abspath(args.out)
    lines = []
    for i in range(args.clips):
        c, group, tone, noise_level = recordings[i % len(recordings)]
        shift = rng.integers(0, n)
        length = int(n * rng.uniform(0.3, 1.0))
        start = rng.integers(0, n - length + 1)
        signal = np.zeros(n, dtype=np.float32)
        signal[start:start + length] = tone[shift + start:shift + start + length]
        offset = rng.integers(0, len(noise) - n)
        clip = (signal + noise_level * noise[offset:offset + n]) * np.float32(rng.uniform(0.02, 0.25))
        folder = os.path.join(out, f"class_{c:02d}")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"{group}_clip_{i:05d}.wav")
        data = write_wav(path, clip, args.rate)
        lines.append(json.dumps({
            "id": f"{group}_clip_{i:05d}", "path": path, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "format": "wav", "subtype": "pcm16", "sample_rate": args.rate, "channels": 1, "frames": n,
            "duration": n / args.rate, "labels": [f"class_{c:02d}"], "group": group, "manifest_version": 1,
        }, separators=(",", ":")))
    with open(args.manifest + ".tmp", "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(args.manifest + ".tmp", args.manifest)


if __name__ == "__main__":
    try:
        main()
    except OSError as e:
        print(f"learn_dataset: {e}", file=sys.stderr)
        sys.exit(2)
