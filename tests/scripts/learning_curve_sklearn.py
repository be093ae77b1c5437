#!/usr/bin/python3
"""Checks clipset learning-curve's classifier against scikit-learn on the same features.

  learning_curve_sklearn.py FEATURES.csv CURVE.json [--C 1] [--max-diff 0.03]

FEATURES.csv is what `clipset learning-curve --export-features` wrote, CURVE.json what the same
run printed with `--format json`. scikit-learn's LogisticRegression (lbfgs, multinomial, the
same C, the intercept unpenalised, max_iter large enough to converge) is trained on ALL the
training rows, standardised by a StandardScaler fitted on those rows only, and scored on the
evaluation rows. Its accuracy is compared with clipset's at the full training size (the last
entry of `sizes`, which clipset trains once). Prints both; exits 1 when they differ by more than
--max-diff (3 percentage points), 2 when it cannot run (bad input, the curve's last size is not
the whole training split). Used by tests/e2e/learning_curve_reference_test.cpp.
Needs Debian's python3-sklearn.
"""

import argparse
import json
import os
import sys
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
from learn_features_reference import read_features_csv  # noqa: E402  (found through the path set above)


def sklearn_accuracy(train_x, train_y, eval_x, eval_y, c, max_iter):
    scaler = StandardScaler().fit(train_x)
    options = dict(C=c, solver="lbfgs", max_iter=max_iter, tol=1e-8)
    if tuple(int(p) for p in sklearn.__version__.split(".")[:2]) < (1, 5):
        options["multi_class"] = "multinomial"  # the default from 1.5 on (and the keyword deprecated)
    model = LogisticRegression(**options)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        model.fit(scaler.transform(train_x), train_y)
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    predicted = model.predict(scaler.transform(eval_x))
    return accuracy_score(eval_y, predicted), int(np.max(model.n_iter_)), converged


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("features_csv")
    parser.add_argument("curve_json")
    parser.add_argument("--C", type=float, default=1.0, help="as clipset's --C (default 1)")
    parser.add_argument("--max-iter", type=int, default=10000, help="scikit-learn's iterations (default 10000)")
    parser.add_argument("--train-split", default="train")
    parser.add_argument("--eval-split", default="val")
    parser.add_argument("--max-diff", type=float, default=0.03, help="largest accepted |difference| (default 0.03)")
    args = parser.parse_args()

    _, splits, labels, x = read_features_csv(args.features_csv)
    splits, labels = np.array(splits), np.array(labels)
    train, evaluation = splits == args.train_split, splits == args.eval_split
    with open(args.curve_json, encoding="utf-8") as f:
        curve = json.load(f)
    full = curve["sizes"][-1]
    if full["size"] != int(train.sum()) or curve["train"]["items"] != int(train.sum()):
        raise ValueError(f"the curve's last size ({full['size']}) is not the {int(train.sum())} training rows of the CSV")
    if curve["eval"]["items"] != int(evaluation.sum()):
        raise ValueError(f"the curve scored {curve['eval']['items']} items, the CSV has {int(evaluation.sum())}")
    points = [p for p in curve["points"] if p["size"] == full["size"]]
    if len(points) != 1:
        raise ValueError(f"{len(points)} models at the full size; expected 1")
    theirs = points[0]

    ours, iterations, converged = sklearn_accuracy(x[train], labels[train], x[evaluation], labels[evaluation], args.C,
                                                   args.max_iter)
    diff = theirs["accuracy"] - ours
    print(f"{int(train.sum())} training rows, {int(evaluation.sum())} evaluation rows, {x.shape[1]} features, "
          f"{len(set(labels[train]))} classes, C={args.C:g}")
    print(f"clipset      accuracy {theirs['accuracy']:.4f}  ({theirs['iterations']} iterations, "
          f"{'converged' if theirs['converged'] else 'NOT converged'})")
    print(f"scikit-learn accuracy {ours:.4f}  ({iterations} iterations, {'converged' if converged else 'NOT converged'}; "
          f"scikit-learn {sklearn.__version__})")
    print(f"difference {100 * diff:+.2f} percentage points (limit {100 * args.max_diff:.1f})")
    if abs(diff) > args.max_diff:
        print("FAIL: clipset's accuracy differs from scikit-learn's")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, ValueError, KeyError, IndexError) as e:
        print(f"learning_curve_sklearn: {e}", file=sys.stderr)
        sys.exit(2)
