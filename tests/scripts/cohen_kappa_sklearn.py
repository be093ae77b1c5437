#!/usr/bin/python3
"""Random pairs of ratings and scikit-learn's cohen_kappa_score of each, as JSON on stdout, for
tests/unit/agreement_test.cpp to compare clipset's Cohen's kappa with. Seeded: the same cases
every run. Needs Debian's python3-sklearn (scripts/install-deps.sh)."""

import json
import math
import random
import warnings

from sklearn.metrics import cohen_kappa_score


def case(rng, n, categories, agreement):
    a = [rng.randrange(categories) for _ in range(n)]
    b = [x if rng.random() < agreement else rng.randrange(categories) for x in a]
    return a, b


def main():
    rng = random.Random(20261126)
    cases = []
    for n in (2, 5, 20, 100, 1000):
        for categories in (2, 3, 7):
            for agreement in (0.0, 0.5, 0.9):
                cases.append(case(rng, n, categories, agreement))
    cases.append(([1, 1, 1, 1], [1, 1, 1, 1]))  # one category throughout: undefined (nan)
    cases.append(([0, 1, 0, 1], [1, 0, 1, 0]))  # perfect disagreement
    warnings.simplefilter("ignore")  # sklearn warns on the undefined case; null says it
    out = []
    for a, b in cases:
        kappa = float(cohen_kappa_score(a, b))
        out.append({"first": a, "second": b, "kappa": None if math.isnan(kappa) else kappa})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
