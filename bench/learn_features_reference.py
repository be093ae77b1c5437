#!/usr/bin/python3
"""The straightforward numpy reference of the clip features of `clipset learning-curve`.

It implements the definition in lib/learn/log_mel.cpp step by step, for people to read and for
programs to check clipset against (tests/scripts/learning_curve_features_numpy.py) and to time it
against (bench/learn.sh). Per clip (PCM16 WAV, read with the standard library's `wave`):

 1. samples / 32768 as float32; several channels are mixed to mono as their mean;
 2. frames of W = round(0.025 * sr) samples every H = round(0.010 * sr) samples, only whole
    frames (1 + (n - W) // H of them); audio shorter than W is zero-padded to one frame;
 3. each frame times the periodic Hann window 0.5 - 0.5 cos(2 pi i / W), zero-padded to the
    next power of two F >= W (at least 2), real FFT, power |X|^2 (F / 2 + 1 bins);
 4. 64 triangular filters whose edges are equally spaced on the HTK mel scale
    (2595 log10(1 + hz / 700)) from fmin = 0 to fmax = sr / 2; filter b rises from edge b to
    edge b+1 and falls to edge b+2, weight at bin k (k sr / F Hz) = max(0, min(rising, falling));
    a filter narrower than a bin gets weight 1 at the bin nearest its centre;
 5. 10 log10(max(energy, 1e-10)) per frame and band (a floor of -100 dB);
 6. the clip's features: per band the mean over frames, then per band the population standard
    deviation (divided by the number of frames); with --deltas the same two for the
    differences of consecutive frames.

clipset computes in float32 where this computes the FFT, the power and the filtering in float64
(window, samples and filter weights are rounded to float32 as clipset stores them); see the
comparison script for what that difference amounts to.

Usage:
  learn_features_reference.py dataset.jsonl -o features.csv     # as clipset --export-features
  learn_features_reference.py --files a.wav b.wav -o features.csv
As a library: LogMel(rate).summarize(mono), read_wav_mono(path), manifest_clips(...),
clip_rows(...), write_features_csv(...), read_features_csv(...).

Needs Debian's python3-numpy.
"""

import argparse
import csv
import json
import math
import os
import sys
import time
import wave

import numpy as np

FLOOR_POWER = 1e-10  # -100 dB


def hz_to_mel(hz):
    return 2595.0 * np.log10(1.0 + hz / 700.0)


def mel_to_hz(mel):
    return 700.0 * (10.0 ** (mel / 2595.0) - 1.0)


def round_half_away(x):
    """C's lround for the non-negative values used here (Python's round() rounds half to even)."""
    return int(math.floor(x + 0.5))


def next_power_of_two(n):
    p = 2
    while p < n:
        p *= 2
    return p


class LogMel:
    """The log-mel summary of one sample rate and set of options."""

    def __init__(self, sample_rate, window_seconds=0.025, hop_seconds=0.010, mel_bands=64, fmin=0.0, fmax=0.0,
                 deltas=False):
        self.sample_rate = sample_rate
        self.window = round_half_away(window_seconds * sample_rate)
        self.hop = round_half_away(hop_seconds * sample_rate)
        if self.window < 2 or self.hop < 1:
            raise ValueError(f"window {self.window} or hop {self.hop} samples too short at {sample_rate} Hz")
        self.fft = next_power_of_two(self.window)
        self.deltas = deltas
        i = np.arange(self.window)
        self.hann = (0.5 - 0.5 * np.cos(2.0 * np.pi * i / self.window)).astype(np.float32)
        self.filters = self._mel_filters(mel_bands, fmin, fmax if fmax > 0 else sample_rate / 2.0)

    def _mel_filters(self, bands, fmin, fmax):
        """(bands, bins) matrix of triangle weights, stored as float32 values (as clipset does)."""
        bins = self.fft // 2 + 1
        if not (0 <= fmin < fmax <= self.sample_rate / 2.0) or bands + 2 > bins:
            raise ValueError(f"{bands} bands from {fmin} to {fmax} Hz do not fit {bins} bins at {self.sample_rate} Hz")
        edges = mel_to_hz(np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), bands + 2))
        bin_hz = self.sample_rate / self.fft
        freqs = np.arange(bins) * bin_hz
        filters = np.zeros((bands, bins))
        for b in range(bands):
            left, centre, right = edges[b], edges[b + 1], edges[b + 2]
            rising = (freqs - left) / (centre - left)
            falling = (right - freqs) / (right - centre)
            weights = np.maximum(0.0, np.minimum(rising, falling))
            if not np.any(weights > 0):
                weights[min(bins - 1, round_half_away(centre / bin_hz))] = 1.0
            filters[b] = weights.astype(np.float32)
        return filters

    def power_spectrum(self, mono):
        """|X|^2 of every whole frame, one row per frame (F / 2 + 1 columns)."""
        x = np.asarray(mono, dtype=np.float32)
        if len(x) < self.window:
            x = np.concatenate([x, np.zeros(self.window - len(x), dtype=np.float32)])
        frames = np.lib.stride_tricks.sliding_window_view(x, self.window)[::self.hop]
        windowed = frames * self.hann  # float32, as clipset
        spectrum = np.fft.rfft(windowed, n=self.fft, axis=1)
        return spectrum.real ** 2 + spectrum.imag ** 2

    def spectrogram(self, mono):
        """Log-mel energies in dB, one row per frame."""
        energy = self.power_spectrum(mono) @ self.filters.T
        return 10.0 * np.log10(np.maximum(energy, FLOOR_POWER))

    def summarize(self, mono):
        """Per band the mean over frames, then per band the population standard deviation."""
        spec = self.spectrogram(mono)
        parts = [spec.mean(axis=0), spec.std(axis=0)]
        if self.deltas:
            diff = np.diff(spec, axis=0)
            if len(diff) == 0:
                diff = np.zeros((1, spec.shape[1]))
            parts += [diff.mean(axis=0), diff.std(axis=0)]
        return np.concatenate(parts)


def read_wav_mono(path):
    """(sample_rate, float32 mono samples) of a PCM16 WAV file; channels are averaged."""
    with wave.open(os.fspath(path), "rb") as w:
        if w.getsampwidth() != 2:
            raise ValueError(f"{path}: {8 * w.getsampwidth()}-bit samples; the reference reads PCM16 only")
        channels, rate = w.getnchannels(), w.getframerate()
        data = w.readframes(w.getnframes())
    samples = np.frombuffer(data, dtype="<i2").astype(np.float32) / np.float32(32768)
    if channels == 1:
        return rate, samples
    frames = samples.reshape(-1, channels)
    if channels == 2:
        return rate, (frames[:, 0] + frames[:, 1]) * np.float32(0.5)
    return rate, frames.sum(axis=1, dtype=np.float32) * np.float32(1.0 / channels)


def manifest_clips(manifest, root=None, train_split="train", eval_split="val"):
    """(id, split, label, path) of the clips clipset learning-curve uses: single-label items of
    the training split, then those of the evaluation split whose class is in the training split,
    each in manifest order."""
    items = []
    with open(manifest, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            item = json.loads(line)
            split = item.get("split")
            if split not in (train_split, eval_split) or len(item.get("labels") or []) != 1:
                continue
            if not item.get("path"):
                raise ValueError(f"{item.get('id')}: no path (the reference reads clip files, not virtual clips)")
            path = item["path"]
            if root is not None and not os.path.isabs(path):
                path = os.path.join(root, path)
            items.append((item["id"], split, item["labels"][0], path))
    classes = {label for _, split, label, _ in items if split == train_split}
    train = [c for c in items if c[1] == train_split]
    evaluation = [c for c in items if c[1] == eval_split and c[2] in classes]
    return train + evaluation


def clip_rows(clips, **options):
    """(id, split, label, features) for each (id, split, label, path), one LogMel per rate."""
    extractors = {}
    for clip_id, split, label, path in clips:
        rate, mono = read_wav_mono(path)
        if rate not in extractors:
            extractors[rate] = LogMel(rate, **options)
        yield clip_id, split, label, extractors[rate].summarize(mono)


def write_features_csv(rows, out):
    """The layout of clipset's --export-features: id,split,label,f0..fN (clipset writes the shortest
    form that reads back exactly, this %.17g: both read back as the same doubles)."""
    writer = csv.writer(out, lineterminator="\n")
    header = False
    count = 0
    for clip_id, split, label, features in rows:
        if not header:
            writer.writerow(["id", "split", "label"] + [f"f{i}" for i in range(len(features))])
            header = True
        writer.writerow([clip_id, split, label] + ["%.17g" % v for v in features])
        count += 1
    if not header:
        out.write("id,split,label\n")
    return count


def read_features_csv(path):
    """(ids, splits, labels, float64 matrix) of a features CSV (clipset's or this script's)."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        if header[:3] != ["id", "split", "label"]:
            raise ValueError(f"{path}: not a features CSV (header {header[:3]})")
        ids, splits, labels, values = [], [], [], []
        for row in reader:
            if len(row) != len(header):
                raise ValueError(f"{path}: {len(row)} fields where the header has {len(header)}")
            ids.append(row[0])
            splits.append(row[1])
            labels.append(row[2])
            values.append([float(v) for v in row[3:]])
    return ids, splits, labels, np.array(values, dtype=np.float64).reshape(len(ids), len(header) - 3)


def main():
    parser = argparse.ArgumentParser(description="numpy log-mel features, as clipset learning-curve --export-features")
    parser.add_argument("manifest", nargs="?", help="dataset manifest (JSON Lines) with train/val splits")
    parser.add_argument("--files", nargs="+", metavar="WAV", help="WAV files instead of a manifest (id = path)")
    parser.add_argument("-o", "--output", default="-", help="CSV file (default: stdout)")
    parser.add_argument("--root", help="resolve relative manifest paths against DIR (default: the working directory)")
    parser.add_argument("--train-split", default="train")
    parser.add_argument("--eval-split", default="val")
    parser.add_argument("--window", type=float, default=0.025, help="seconds (default 0.025)")
    parser.add_argument("--hop", type=float, default=0.010, help="seconds (default 0.010)")
    parser.add_argument("--mel-bands", type=int, default=64)
    parser.add_argument("--fmin", type=float, default=0.0)
    parser.add_argument("--fmax", type=float, default=0.0, help="Hz (default 0: half the sample rate)")
    parser.add_argument("--deltas", action="store_true")
    parser.add_argument("--quiet", action="store_true", help="no timing line on stderr")
    args = parser.parse_args()
    if bool(args.manifest) == bool(args.files):
        parser.error("give a manifest or --files, not both")
    if args.files:
        clips = [(path, "", "", path) for path in args.files]
    else:
        clips = manifest_clips(args.manifest, args.root, args.train_split, args.eval_split)
    options = dict(window_seconds=args.window, hop_seconds=args.hop, mel_bands=args.mel_bands, fmin=args.fmin,
                   fmax=args.fmax, deltas=args.deltas)
    start = time.perf_counter()
    out = sys.stdout if args.output == "-" else open(args.output + ".tmp", "w", encoding="utf-8")
    count = write_features_csv(clip_rows(clips, **options), out)
    if out is not sys.stdout:
        out.close()
        os.replace(args.output + ".tmp", args.output)
    if not args.quiet:
        seconds = time.perf_counter() - start
        print(f"learn_features_reference: {count} clips in {seconds:.3f} s", file=sys.stderr)


if __name__ == "__main__":
    try:
        main()
    except (OSError, ValueError, wave.Error) as e:
        print(f"learn_features_reference: {e}", file=sys.stderr)
        sys.exit(2)
