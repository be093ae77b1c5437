#!/usr/bin/env bash
# Suspects benchmark: `clipset suspects` on one-second clips with 5 folds, with a cold and a warm
# feature cache, and how many of the labels flipped at random it ranks on top. A report, not a
# test: exits 0 even when a target FAILs. See bench/README.md.
# shellcheck source-path=SCRIPTDIR disable=SC2317  # (SC2317: functions invoked indirectly)
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  cat <<EOF2
Usage: bench/suspects.sh [OPTIONS]

Generates --clips one-second 16 kHz mono PCM16 WAV clips (bench/learn_dataset.py, as learn.sh:
--classes classes of harmonic tones in noise, --groups recordings per class), splits them
80/10/10 by recording, flips --flip percent of the labels to another class at random (seeded),
then times with a warm page cache (one untimed run of each first, then the median of --runs
interleaved rounds):

  cold: clipset suspects DATASET --folds 5 --jobs J --cache EMPTY -o FILE
  warm: clipset suspects DATASET --folds 5 --jobs J --cache FILLED -o FILE

and reports, of the k flipped labels, how many are among the top k and the top 2k suspects.
There is no other tool a user would run for this offline on a manifest; cleanlab needs the
out-of-fold probabilities from a model of the user's own.

Targets: cold under 60 s, warm under 15 s (20,000 clips, 5 folds, 2 cores).

Options:
  --clips N        Clips (default 20000)
  --classes N      Classes (default 10)
  --groups N       Recordings (leakage groups) per class (default 125)
  --flip PCT       Percent of labels flipped (default 5)
  --clipset PATH   clipset binary (default: build/apps/clipset/clipset, built Release if missing)
  --dir DIR        Work folder, kept; a data set already in it is reused (default: a new folder
                   under /tmp, removed at the end unless --keep)
  --keep           Keep the temporary work folder
  --jobs J         Worker threads for clipset (default 2)
  --runs N         Timed rounds; the median is reported (default 3)
  -h, --help       This help
EOF2
}

CLIPS=20000
CLASSES=10
GROUPS_PER_CLASS=125
FLIP=5
CLIPSET_ARG=""
DIR=""
KEEP=0
JOBS=2
RUNS=3

while (($# > 0)); do
  case "$1" in
    --clips) CLIPS="${2:?--clips needs a value}"; shift 2 ;;
    --classes) CLASSES="${2:?--classes needs a value}"; shift 2 ;;
    --groups) GROUPS_PER_CLASS="${2:?--groups needs a value}"; shift 2 ;;
    --flip) FLIP="${2:?--flip needs a value}"; shift 2 ;;
    --clipset) CLIPSET_ARG="${2:?--clipset needs a value}"; shift 2 ;;
    --dir) DIR="${2:?--dir needs a value}"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --jobs) JOBS="${2:?--jobs needs a value}"; shift 2 ;;
    --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; bench_die "unknown option: $1" ;;
  esac
done

bench_require_uint --clips "$CLIPS"
bench_require_uint --classes "$CLASSES"
bench_require_uint --groups "$GROUPS_PER_CLASS"
bench_require_uint --flip "$FLIP"
bench_require_uint --jobs "$JOBS"
bench_require_uint --runs "$RUNS"
((CLIPS >= 20 * CLASSES)) || bench_die "--clips ($CLIPS) should be at least 20 per class"
bench_require_tools jq awk find xargs cmake df
PYTHON=/usr/bin/python3
[[ -x "$PYTHON" ]] || bench_die "$PYTHON is required (Debian's python3 with python3-numpy)"
"$PYTHON" -c 'import numpy' 2>/dev/null || bench_die "$PYTHON cannot import numpy (apt-get install python3-numpy)"
bench_gnu_time >/dev/null

LOAD_START="$(bench_loadavg)"
bench_check_quiet || true
CLIPSET="$(bench_clipset_binary "$CLIPSET_ARG")"

if [[ -n "$DIR" ]]; then
  mkdir -p "$DIR"
  WORK="$(cd "$DIR" && pwd)"
else
  WORK="$(mktemp -d /tmp/clipset-suspects-bench.XXXXXX)"
  if ((KEEP)); then
    bench_log "work folder (kept): $WORK"
  else
    trap 'rm -rf "$WORK"' EXIT
  fi
fi
SET="suspects-${CLIPS}clips-${CLASSES}classes-${GROUPS_PER_CLASS}groups-${FLIP}flip"
CLIPS_DIR="$WORK/$SET"
DATASET="$WORK/$SET.dataset.jsonl"
FLIPPED="$WORK/$SET.flipped"
FILES0="$WORK/$SET.files0"

# --- data set ---------------------------------------------------------------------------------

# Flips FLIP percent of the labels (seeded) to another class; the ids flipped go to FLIPPED.
flip_labels() {
  "$PYTHON" - "$1" "$DATASET" "$FLIPPED" "$FLIP" <<'EOF2'
import json, random, sys
source, dataset, flipped, percent = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
rng = random.Random(20)
records = [json.loads(line) for line in open(source)]
classes = sorted({r["labels"][0] for r in records})
with open(dataset, "w") as out, open(flipped, "w") as ids:
    for r in records:
        if rng.random() < percent / 100:
            r["labels"] = [rng.choice([c for c in classes if c != r["labels"][0]])]
            ids.write(r["id"] + "\n")
        out.write(json.dumps(r, separators=(",", ":")) + "\n")
EOF2
}

generate() {
  local free need start
  free="$(bench_free_bytes "$WORK")"
  need=$((CLIPS * 32044 + (256 << 20)))
  ((free > need)) || bench_die "not enough space in $WORK: need $((need >> 20)) MiB, have $((free >> 20)) MiB"
  rm -rf "$CLIPS_DIR" "$WORK/$SET.complete"
  bench_log "generating $CLIPS clips ($CLASSES classes, $GROUPS_PER_CLASS recordings each) in $CLIPS_DIR"
  start=$EPOCHREALTIME
  "$PYTHON" "$BENCH_REPO_ROOT/bench/learn_dataset.py" --out "$CLIPS_DIR" --manifest "$WORK/$SET.raw.jsonl" \
    --clips "$CLIPS" --classes "$CLASSES" --groups "$GROUPS_PER_CLASS"
  GEN_SECONDS="$(bench_calc "$EPOCHREALTIME - $start")"
  "$CLIPSET" split "$WORK/$SET.raw.jsonl" --group-by group --ratios 80,10,10 --seed 0 -o "$WORK/$SET.split.jsonl" -q
  flip_labels "$WORK/$SET.split.jsonl"
  touch "$WORK/$SET.complete"
  bench_log "generated in $GEN_SECONDS s"
}

GEN_SECONDS="(reused)"
if [[ -f "$WORK/$SET.complete" && -f "$DATASET" ]]; then
  bench_log "reusing $CLIPS_DIR"
else
  generate
fi
((CLIPS == $(wc -l <"$DATASET"))) || bench_die "$DATASET does not hold $CLIPS lines"
find "$CLIPS_DIR" -type f -name '*.wav' -print0 >"$FILES0"
FLIPS="$(wc -l <"$FLIPPED")"

# --- timed commands ---------------------------------------------------------------------------

COLD_CACHE="$WORK/cache-cold"
WARM_CACHE="$WORK/cache-warm"
OUT_COLD="$WORK/suspects-cold.jsonl"
OUT_WARM="$WORK/suspects-warm.jsonl"
# cold: the cache folder is emptied first (inside the timing: removing one file of ~20 MB)
run_cold() {
  rm -rf "$COLD_CACHE"
  "$CLIPSET" suspects "$DATASET" --folds 5 --jobs "$JOBS" --cache "$COLD_CACHE" --progress never -q -o "$OUT_COLD"
}
run_warm() { "$CLIPSET" suspects "$DATASET" --folds 5 --jobs "$JOBS" --cache "$WARM_CACHE" --progress never -q -o "$OUT_WARM"; }
export -f run_cold run_warm
export CLIPSET DATASET JOBS COLD_CACHE WARM_CACHE OUT_COLD OUT_WARM

bench_log "warm-up (one untimed run of each; fills the warm cache)"
rm -rf "$WARM_CACHE"
for fn in run_cold run_warm; do
  bench_cache_files "$FILES0"
  bench_warm "$fn"
done
cmp -s "$OUT_COLD" "$OUT_WARM" || bench_die "cold and warm runs wrote different suspects ($OUT_COLD, $OUT_WARM)"

bench_rounds "$RUNS" "$FILES0" run_cold run_warm
LOAD_END="$(bench_loadavg)"

# What was found: the flipped labels among the top k and top 2k suspects.
read -r SUSPECTS TOP_K TOP_2K < <(jq -r '.id' "$OUT_WARM" | awk -v k="$FLIPS" -v ids="$FLIPPED" '
  BEGIN { while ((getline id < ids) > 0) flipped[id] = 1 }
  { n++; if (flipped[$0]) { if (n <= k) a++; if (n <= 2 * k) b++ } }
  END { printf "%d %d %d\n", n, a, b }')
SUMMARY="$("$CLIPSET" suspects "$DATASET" --folds 5 --jobs "$JOBS" --cache "$WARM_CACHE" --progress never -o /dev/null 2>&1)"

# --- report -----------------------------------------------------------------------------------

echo "== clipset suspects benchmark =="
bench_machine_info "$CLIPSET"
printf 'data set:  %s\n' "$CLIPS_DIR"
printf '           %d clips (1 s, 16 kHz mono PCM16), %d classes, %d recordings; generated in %s s\n' \
  "$CLIPS" "$CLASSES" "$((CLASSES * GROUPS_PER_CLASS))" "$GEN_SECONDS"
printf '           split 80/10/10 by recording; %d labels (%s%%) flipped to another class\n' "$FLIPS" "$FLIP"
printf 'method:    warm page cache, median of %d interleaved rounds; peak RSS from GNU time\n' "$RUNS"
printf 'load avg:  %s at start, %s at the end (1, 5, 15 min)\n' "$LOAD_START" "$LOAD_END"
echo

echo "clipset suspects --folds 5 --jobs $JOBS"
bench_table_start "" "cache" "seconds" "cpu s/run (user+sys)" "peak RSS MB"
bench_table_row "cold (empty --cache folder)" "${BENCH_MEDIAN[run_cold]}" "${BENCH_CPU[run_cold]}" "$(bench_mb "${BENCH_RSS_KIB[run_cold]}")"
bench_table_row "warm (features from the cache)" "${BENCH_MEDIAN[run_warm]}" "${BENCH_CPU[run_warm]}" "$(bench_mb "${BENCH_RSS_KIB[run_warm]}")"
bench_table_end
echo
while IFS= read -r line; do printf '  | %s\n' "$line"; done <<<"$SUMMARY"
echo
printf 'found:     %d suspects; of the %d flipped labels %d in the top %d (%.0f%%), %d in the top %d (%.0f%%)\n' \
  "$SUSPECTS" "$FLIPS" "$TOP_K" "$FLIPS" "$(bench_calc "100 * $TOP_K / $FLIPS")" "$TOP_2K" "$((2 * FLIPS))" \
  "$(bench_calc "100 * $TOP_2K / $FLIPS")"
echo

ok=0
bench_lt "${BENCH_MEDIAN[run_cold]}" 60 && ok=1
bench_verdict "cold cache under 60 s" "$ok" "${BENCH_MEDIAN[run_cold]} s"
ok=0
bench_lt "${BENCH_MEDIAN[run_warm]}" 15 && ok=1
bench_verdict "warm cache under 15 s" "$ok" "${BENCH_MEDIAN[run_warm]} s"
exit 0
