#!/usr/bin/python3
"""Checks the features clipset learning-curve exported (--export-features) against the numpy
reference bench/learn_features_reference.py, clip by clip and value by value. Exits 0 when all
agree, 1 when any differs (naming the worst), 2 when it cannot run. Used by
tests/e2e/learning_curve_reference_test.cpp. Needs Debian's python3-numpy.

  learning_curve_features_numpy.py MANIFEST CLIPSET.csv [--root DIR] [feature options]

The tolerance. clipset runs the FFT and |X|^2 in float32 (KissFFT), the reference in float64;
everything else is the same arithmetic (float32 samples, window and filter weights; double
sums). Float32 rounding leaves in every FFT bin an error of about eps * sqrt(frame power),
eps ~ 1e-7, so a band whose energy lies d dB below the frame's total power has a relative power
error of about 2 eps 10^(d/20), that is 8.7 eps 10^(d/20) dB: ~1e-6 dB for a loud band, 0.01 dB
for a band 100 dB under a pure tone (quantisation noise of PCM16 sits there). Each value may
therefore differ by at most

    C * 10^(D/20) dB  (plus 1e-9 dB for the order of double sums),

where D is the largest d of the band over the clip's frames (twice that bound for deltas) and
C = 1e-5 dB (--scale), about 10x the largest C observed on tones, noise, sweeps, bursts and short
clips. Loud bands are thus held to ~1e-5 dB: a gain of 32767 instead of 32768 (2.7e-4 dB), a
symmetric instead of a periodic Hann window, or a sample instead of a population standard
deviation all fail.
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
import learn_features_reference as ref  # noqa: E402  (found through the path set above)

ABSOLUTE_DB = 1e-9


def band_headroom(extractor, mono):
    """Per band, the largest 10^(d/20) over frames, d = the frame's total power over the band's
    energy in dB (0 for a silent frame, whose values are exact)."""
    power = extractor.power_spectrum(mono)
    energy = np.maximum(power @ extractor.filters.T, ref.FLOOR_POWER)
    total = power.sum(axis=1, keepdims=True)
    ratio = np.where(total > 0, np.sqrt(np.maximum(total, ref.FLOOR_POWER) / energy), 0.0)
    return ratio.max(axis=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("manifest")
    parser.add_argument("clipset_csv")
    parser.add_argument("--root")
    parser.add_argument("--train-split", default="train")
    parser.add_argument("--eval-split", default="val")
    parser.add_argument("--window", type=float, default=0.025)
    parser.add_argument("--hop", type=float, default=0.010)
    parser.add_argument("--mel-bands", type=int, default=64)
    parser.add_argument("--fmin", type=float, default=0.0)
    parser.add_argument("--fmax", type=float, default=0.0)
    parser.add_argument("--deltas", action="store_true")
    parser.add_argument("--scale", type=float, default=1e-5, help="C of the tolerance, dB (default 1e-5)")
    args = parser.parse_args()

    clips = ref.manifest_clips(args.manifest, args.root, args.train_split, args.eval_split)
    ids, splits, labels, got = ref.read_features_csv(args.clipset_csv)
    expected = [(c[0], c[1], c[2]) for c in clips]
    if list(zip(ids, splits, labels)) != expected:
        print(f"rows differ: clipset wrote {list(zip(ids, splits, labels))}, the reference expects {expected}")
        return 1
    options = dict(window_seconds=args.window, hop_seconds=args.hop, mel_bands=args.mel_bands, fmin=args.fmin,
                   fmax=args.fmax, deltas=args.deltas)
    worst = (0.0, None)  # (share of the tolerance used, description)
    largest = 0.0
    failures = []
    for row, (clip_id, _, _, path) in enumerate(clips):
        rate, mono = ref.read_wav_mono(path)
        extractor = ref.LogMel(rate, **options)
        want = extractor.summarize(mono)
        if len(want) != got.shape[1]:
            print(f"{clip_id}: clipset wrote {got.shape[1]} features, the reference computes {len(want)}")
            return 1
        headroom = band_headroom(extractor, mono)
        bound = np.concatenate([headroom, headroom] + ([2 * headroom, 2 * headroom] if args.deltas else []))
        tolerance = args.scale * bound + ABSOLUTE_DB
        diff = np.abs(got[row] - want)
        largest = max(largest, float(diff.max()))
        share = diff / tolerance
        k = int(np.argmax(share))
        text = (f"{clip_id} f{k}: clipset {got[row][k]:.12g}, reference {want[k]:.12g}, "
                f"|diff| {diff[k]:.3g} dB, tolerance {tolerance[k]:.3g} dB")
        if share[k] > worst[0] or worst[1] is None:
            worst = (float(share[k]), text)
        if share[k] > 1 or not np.all(np.isfinite(got[row])):
            failures.append(text)
    print(f"{len(clips)} clips x {got.shape[1]} features; largest |clipset - reference| {largest:.3g} dB; "
          f"worst against its tolerance ({worst[0]:.3g} of it): {worst[1]}")
    if failures:
        print(f"FAIL: {len(failures)} clips differ beyond the tolerance:")
        for text in failures[:10]:
            print("  " + text)
        return 1
    print("OK: clipset's features agree with the numpy reference")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, ValueError) as e:
        print(f"learning_curve_features_numpy: {e}", file=sys.stderr)
        sys.exit(2)
