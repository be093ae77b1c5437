#!/usr/bin/python3
"""SciPy's figures for what clipset compare computes, as JSON on stdout, for the tests to check
clipset's own implementations against (Debian's python3-scipy, scripts/install-deps.sh).

  compare_scipy.py cases
      Seeded random samples: counts over categories with scipy's Jensen-Shannon divergence
      (base 2, squared: scipy returns the distance) and chi2_contingency (no continuity
      correction); numeric samples with ks_2samp's default (method 'auto': exact up to 10,000
      values per side) and the Kolmogorov limiting distribution (kstwobign); regularized upper
      incomplete gamma values (gammaincc).
  compare_scipy.py manifests A.jsonl B.jsonl FIELD
      The same figures for one top-level or meta.* field of two manifests, read independently of
      clipset: categorical when any value is not a number (lists count each element, a missing
      field counts as "(none)"), numeric otherwise.
"""

import json
import random
import sys

import numpy as np
from scipy import special, stats
from scipy.spatial import distance


def js(p, q):
    return float(distance.jensenshannon(p, q, base=2) ** 2)


def chi2(p, q):
    table = np.array([p, q], dtype=float)
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2:
        return None
    statistic, p_value, dof, _ = stats.chi2_contingency(table, correction=False)
    return {"statistic": float(statistic), "dof": int(dof), "p_value": float(p_value)}


def ks(a, b):
    result = stats.ks_2samp(a, b)
    return {"statistic": float(result.statistic), "p_value": float(result.pvalue),
            "method": "exact" if max(len(a), len(b)) <= 10000 else "asymptotic"}


def categorical_case(rng):
    k = rng.choice([2, 3, 5, 12])
    p = [rng.randrange(0, 60) for _ in range(k)]
    q = [max(0, c + rng.randrange(-20, 25)) for c in p]
    if rng.random() < 0.3:
        q[rng.randrange(k)] = 0  # a value one side never has
    p[0] += 1
    q[-1] += 1
    return {"p": p, "q": q, "js": js(p, q), "chi_square": chi2(p, q)}


def numeric_case(rng, n1, n2, shift, ties):
    a = [round(rng.gauss(0, 1), 1 if ties else 9) for _ in range(n1)]
    b = [round(rng.gauss(shift, 1.2), 1 if ties else 9) for _ in range(n2)]
    return {"a": a, "b": b, "ks": ks(a, b)}


def cases():
    rng = random.Random(20261203)
    out = {"categorical": [categorical_case(rng) for _ in range(40)], "numeric": [], "gamma": [], "kolmogorov": []}
    for n1, n2 in ((1, 1), (3, 5), (10, 10), (17, 40), (100, 80), (250, 250), (400, 1001)):
        for shift in (0.0, 0.3, 1.0):
            out["numeric"].append(numeric_case(rng, n1, n2, shift, ties=False))
    out["numeric"].append(numeric_case(rng, 60, 90, 0.2, ties=True))
    out["numeric"].append(numeric_case(rng, 12000, 11000, 0.02, ties=False))  # asymptotic
    for a in (0.5, 1, 1.5, 2, 3.5, 10, 50, 200):
        for x in (0.01, 0.5, 1, 2.5, 9, 30, 80, 250):
            out["gamma"].append({"a": a, "x": x, "q": float(special.gammaincc(a, x))})
    for z in (0.2, 0.5, 0.8, 1.0, 1.17, 1.19, 1.5, 2.0, 3.0):
        out["kolmogorov"].append({"z": z, "sf": float(stats.kstwobign.sf(z))})
    return out


def field_values(path, field):
    values = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            node = json.loads(line)
            for part in field.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            values.append(node)
    return values


def manifests(a_path, b_path, field):
    a, b = field_values(a_path, field), field_values(b_path, field)
    present = [v for v in a + b if v is not None]
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present)
    if numeric:
        xa = [float(v) for v in a if v is not None]
        xb = [float(v) for v in b if v is not None]
        return {"kind": "numeric", "ks": ks(xa, xb)}

    def keys(values):
        counts = {}
        for v in values:
            items = v if isinstance(v, list) else [v]
            if v is None or v == [] or v == "":
                items = ["(none)"]
            for item in items:
                key = item if isinstance(item, str) else json.dumps(item)
                counts[key] = counts.get(key, 0) + 1
        return counts

    ca, cb = keys(a), keys(b)
    names = sorted(set(ca) | set(cb))
    p = [ca.get(n, 0) for n in names]
    q = [cb.get(n, 0) for n in names]
    return {"kind": "categorical", "js": js(p, q), "chi_square": chi2(p, q)}


def main():
    if sys.argv[1:2] == ["cases"]:
        print(json.dumps(cases()))
    elif sys.argv[1:2] == ["manifests"] and len(sys.argv) == 5:
        print(json.dumps(manifests(*sys.argv[2:5])))
    else:
        sys.exit("usage: compare_scipy.py cases | manifests A.jsonl B.jsonl FIELD")


if __name__ == "__main__":
    main()
