#!/usr/bin/env bash
# Learning-curve benchmark: clipset's log-mel feature extraction next to the straightforward numpy
# reference (bench/learn_features_reference.py) on the same clips, and the wall time of a whole
# default `clipset learning-curve` with a cold and a warm feature cache. A report, not a test:
# exits 0 even when a target FAILs. See bench/README.md.
# shellcheck source-path=SCRIPTDIR disable=SC2317  # (SC2317: functions invoked indirectly)
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  cat <<EOF2
Usage: bench/learn.sh [OPTIONS]

Generates --clips one-second 16 kHz mono PCM16 WAV clips (bench/learn_dataset.py: --classes
classes of harmonic tones in noise, --groups recordings per class), splits them 80/10/10 by
recording with \`clipset split --group-by group\`, checks on a sample that clipset's features
agree with the numpy reference, then times with a warm page cache (one untimed run of each
first, then the median of --runs interleaved rounds):

  (a) features of the train and val clips, as a CSV:
      clipset learning-curve --no-cache --sizes 50 --repeats 1 --export-features F --jobs J
      (the same at --jobs 1, and without --export-features), against
      /usr/bin/python3 bench/learn_features_reference.py DATASET -o F   (one process)
  (b) a whole default learning curve (8 sizes x 5 repeats) with --jobs J:
      cold: an empty --cache folder; warm: the cache a previous run filled

Targets: (a) clipset --jobs 2 at least 10x the reference's audio-seconds per second;
(b) the whole curve under one minute, cold and warm.

Options:
  --clips N        Clips (default 20000)
  --classes N      Classes (default 10)
  --groups N       Recordings (leakage groups) per class (default 125)
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
bench_require_uint --jobs "$JOBS"
bench_require_uint --runs "$RUNS"
((CLIPS >= 20 * CLASSES)) || bench_die "--clips ($CLIPS) should be at least 20 per class"
bench_require_tools jq awk cut cmp find xargs cmake df
PYTHON=/usr/bin/python3
[[ -x "$PYTHON" ]] || bench_die "$PYTHON is required (Debian's python3 with python3-numpy)"
"$PYTHON" -c 'import numpy' 2>/dev/null || bench_die "$PYTHON cannot import numpy (apt-get install python3-numpy)"
bench_gnu_time >/dev/null

LOAD_START="$(bench_loadavg)"
bench_check_quiet || true
CLIPSET="$(bench_clipset_binary "$CLIPSET_ARG")"
REFERENCE="$BENCH_REPO_ROOT/bench/learn_features_reference.py"
CHECK="$BENCH_REPO_ROOT/tests/scripts/learning_curve_features_numpy.py"

if [[ -n "$DIR" ]]; then
  mkdir -p "$DIR"
  WORK="$(cd "$DIR" && pwd)"
else
  WORK="$(mktemp -d /tmp/clipset-learn-bench.XXXXXX)"
  if ((KEEP)); then
    bench_log "work folder (kept): $WORK"
  else
    trap 'rm -rf "$WORK"' EXIT
  fi
fi
SET="learn-${CLIPS}clips-${CLASSES}classes-${GROUPS_PER_CLASS}groups"
CLIPS_DIR="$WORK/$SET"
DATASET="$WORK/$SET.dataset.jsonl"
FILES0="$WORK/$SET.files0"

# --- data set ---------------------------------------------------------------------------------

generate() {
  local free need start
  free="$(bench_free_bytes "$WORK")"
  # 32 KB a clip, two features CSVs of ~2.6 KB a clip, and room to spare.
  need=$((CLIPS * (32044 + 2 * 2700) + (256 << 20)))
  ((free > need)) || bench_die "not enough space in $WORK: need $((need >> 20)) MiB, have $((free >> 20)) MiB"
  rm -rf "$CLIPS_DIR" "$WORK/$SET.complete"
  bench_log "generating $CLIPS clips ($CLASSES classes, $GROUPS_PER_CLASS recordings each) in $CLIPS_DIR"
  start=$EPOCHREALTIME
  "$PYTHON" "$BENCH_REPO_ROOT/bench/learn_dataset.py" --out "$CLIPS_DIR" --manifest "$WORK/$SET.raw.jsonl" \
    --clips "$CLIPS" --classes "$CLASSES" --groups "$GROUPS_PER_CLASS"
  GEN_SECONDS="$(bench_calc "$EPOCHREALTIME - $start")"
  "$CLIPSET" split "$WORK/$SET.raw.jsonl" --group-by group --ratios 80,10,10 --seed 0 -o "$DATASET" -q
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

# The clips both sides extract: train and val (test is left out by learning-curve).
read -r USED AUDIO_SECONDS TRAIN < <(jq -r 'select(.split == "train" or .split == "val") | "\(.duration) \(.split)"' "$DATASET" |
  awk '{ n++; s += $1; if ($2 == "train") t++ } END { printf "%d %.3f %d\n", n, s, t }')

# --- sanity: the same features on a sample ----------------------------------------------------

bench_log "checking clipset's features against the numpy reference on a sample"
SAMPLE="$WORK/sample.jsonl"
# About 200 of the train and val clips, evenly spread (the manifest cycles through the recordings,
# so every class is in).
jq -cs --argjson step "$(((USED + 199) / 200))" \
  '[.[] | select(.split == "train" or .split == "val")] | to_entries[] | select(.key % $step == 0) | .value' "$DATASET" >"$SAMPLE"
"$CLIPSET" learning-curve "$SAMPLE" --no-cache --steps 1 --repeats 1 --export-features "$WORK/sample.csv" -q
SAMPLE_CHECK="$("$PYTHON" "$CHECK" "$SAMPLE" "$WORK/sample.csv")" ||
  bench_die "clipset's features differ from the numpy reference: $SAMPLE_CHECK"

# --- timed commands ---------------------------------------------------------------------------

CLIPSET_CSV="$WORK/clipset-features.csv"
REFERENCE_CSV="$WORK/reference-features.csv"
COLD_CACHE="$WORK/cache-cold"
WARM_CACHE="$WORK/cache-warm"
clipset_features() { "$CLIPSET" learning-curve "$DATASET" --no-cache --sizes 50 --repeats 1 --progress never -q "$@"; }
run_clipset_jobs() { clipset_features --jobs "$JOBS" --export-features "$CLIPSET_CSV"; }
run_clipset_1() { clipset_features --jobs 1 --export-features "$CLIPSET_CSV"; }
run_clipset_noexport() { clipset_features --jobs "$JOBS"; }
# One thread for the BLAS, if it is a threaded one: a 98x257 by 257x64 product per clip gains nothing
# from threads, and the reference is one process.
run_reference() { OPENBLAS_NUM_THREADS=1 "$PYTHON" "$REFERENCE" "$DATASET" -o "$REFERENCE_CSV" --quiet; }
# cold: the cache folder is emptied first (inside the timing: removing one file of ~20 MB)
run_curve_cold() {
  rm -rf "$COLD_CACHE"
  "$CLIPSET" learning-curve "$DATASET" --jobs "$JOBS" --cache "$COLD_CACHE" --progress never -q
}
run_curve_warm() { "$CLIPSET" learning-curve "$DATASET" --jobs "$JOBS" --cache "$WARM_CACHE" --progress never -q; }
export -f clipset_features run_clipset_jobs run_clipset_1 run_clipset_noexport run_reference run_curve_cold run_curve_warm
export CLIPSET PYTHON REFERENCE DATASET JOBS CLIPSET_CSV REFERENCE_CSV COLD_CACHE WARM_CACHE

NAMES_A=("clipset learning-curve --jobs $JOBS --export-features" "clipset learning-curve --jobs 1 --export-features"
  "clipset learning-curve --jobs $JOBS (no CSV)" "numpy reference (1 process) -o CSV")
FUNCS_A=(run_clipset_jobs run_clipset_1 run_clipset_noexport run_reference)
FUNCS_B=(run_curve_cold run_curve_warm)

bench_log "warm-up (one untimed run of each; fills the warm cache)"
rm -rf "$WARM_CACHE"
for fn in "${FUNCS_A[@]}" "${FUNCS_B[@]}"; do
  bench_cache_files "$FILES0"
  bench_warm "$fn"
done
# Both wrote the same clips in the same order.
cmp -s <(cut -d, -f1-3 "$CLIPSET_CSV") <(cut -d, -f1-3 "$REFERENCE_CSV") ||
  bench_die "clipset and the reference wrote different rows (see $CLIPSET_CSV, $REFERENCE_CSV)"
(($(wc -l <"$CLIPSET_CSV") == USED + 1)) || bench_die "$CLIPSET_CSV does not hold the $USED train and val clips"

# Where the reference's time goes, on a sample of 1000 clips (the same steps as summarize()).
REFERENCE_STEPS="$(OPENBLAS_NUM_THREADS=1 "$PYTHON" - "$BENCH_REPO_ROOT/bench" "$DATASET" <<'EOF2'
import sys, time
import numpy as np
sys.path.insert(0, sys.argv[1])
import learn_features_reference as ref
clips = ref.manifest_clips(sys.argv[2])[:1000]
t = dict(read=0.0, fft=0.0, filters=0.0, rest=0.0)
extractor = None
for _, _, _, path in clips:
    a = time.perf_counter(); rate, mono = ref.read_wav_mono(path)
    extractor = extractor or ref.LogMel(rate)
    b = time.perf_counter(); power = extractor.power_spectrum(mono)
    c = time.perf_counter(); energy = power @ extractor.filters.T
    d = time.perf_counter(); spec = 10 * np.log10(np.maximum(energy, ref.FLOOR_POWER)); spec.mean(0); spec.std(0)
    e = time.perf_counter()
    for k, v in zip(t, (b - a, c - b, d - c, e - d)): t[k] += v
total = sum(t.values())
print(", ".join(f"{k} {1000 * v / len(clips):.2f} ms ({100 * v / total:.0f}%)" for k, v in t.items()))
EOF2
)"

bench_rounds "$RUNS" "$FILES0" "${FUNCS_A[@]}" "${FUNCS_B[@]}"
LOAD_END="$(bench_loadavg)"

# The curve itself, once more (warm), to show what was measured.
CURVE_TABLE="$("$CLIPSET" learning-curve "$DATASET" --jobs "$JOBS" --cache "$WARM_CACHE" --progress never 2>&1 >/dev/null)"

# --- report -----------------------------------------------------------------------------------

echo "== clipset learning-curve benchmark =="
bench_machine_info "$CLIPSET"
printf 'python:    %s, numpy %s\n' "$("$PYTHON" --version 2>&1)" "$("$PYTHON" -c 'import numpy; print(numpy.__version__)')"
printf 'data set:  %s\n' "$CLIPS_DIR"
printf '           %d clips (1 s, 16 kHz mono PCM16), %d classes, %d recordings; generated in %s s\n' \
  "$CLIPS" "$CLASSES" "$((CLASSES * GROUPS_PER_CLASS))" "$GEN_SECONDS"
printf '           split 80/10/10 by recording: %d train + val clips used (%.0f audio seconds), %d train\n' \
  "$USED" "$AUDIO_SECONDS" "$TRAIN"
printf 'check:     %s\n' "$(head -n 1 <<<"$SAMPLE_CHECK")"
printf 'method:    warm page cache, median of %d interleaved rounds; peak RSS from GNU time\n' "$RUNS"
printf 'load avg:  %s at start, %s at the end (1, 5, 15 min)\n' "$LOAD_START" "$LOAD_END"
echo

echo "(a) features: every train and val clip, one CSV row each"
bench_table_start "" "command" "seconds" "audio-s/s" "vs reference" "cpu s/run (user+sys)" "peak RSS MB"
for i in "${!FUNCS_A[@]}"; do
  fn="${FUNCS_A[$i]}"
  t="${BENCH_MEDIAN[$fn]}"
  bench_table_row "${NAMES_A[$i]}" "$t" "$(awk -v s="$AUDIO_SECONDS" -v t="$t" 'BEGIN { printf "%.0f", s / t }')" \
    "$(bench_ratio "${BENCH_MEDIAN[run_reference]}" "$t")x" "${BENCH_CPU[$fn]}" "$(bench_mb "${BENCH_RSS_KIB[$fn]}")"
done
bench_table_end
printf 'reference per clip (1000 clips): %s\n' "$REFERENCE_STEPS"
echo

echo "(b) a whole default learning curve, --jobs $JOBS"
bench_table_start "" "cache" "seconds" "cpu s/run (user+sys)" "peak RSS MB"
bench_table_row "cold (empty --cache folder)" "${BENCH_MEDIAN[run_curve_cold]}" "${BENCH_CPU[run_curve_cold]}" "$(bench_mb "${BENCH_RSS_KIB[run_curve_cold]}")"
bench_table_row "warm (features from the cache)" "${BENCH_MEDIAN[run_curve_warm]}" "${BENCH_CPU[run_curve_warm]}" "$(bench_mb "${BENCH_RSS_KIB[run_curve_warm]}")"
bench_table_end
printf 'phases:    features ~%s s (row "(no CSV)" above), the rest of the cold run ~%s s is training (36 models)\n' \
  "${BENCH_MEDIAN[run_clipset_noexport]}" "$(bench_calc "${BENCH_MEDIAN[run_curve_cold]} - ${BENCH_MEDIAN[run_clipset_noexport]}")"
echo
while IFS= read -r line; do printf '  | %s\n' "$line"; done <<<"$CURVE_TABLE"
echo

ratio="$(bench_ratio "${BENCH_MEDIAN[run_reference]}" "${BENCH_MEDIAN[run_clipset_jobs]}")"
ok=0
bench_le 10 "$ratio" && ok=1
bench_verdict "clipset --jobs $JOBS features at least 10x the numpy reference" "$ok" \
  "${ratio}x: ${BENCH_MEDIAN[run_clipset_jobs]} s vs ${BENCH_MEDIAN[run_reference]} s"
for fn in run_curve_cold run_curve_warm; do
  ok=0
  bench_lt "${BENCH_MEDIAN[$fn]}" 60 && ok=1
  bench_verdict "whole default curve, ${fn#run_curve_} cache, under 60 s" "$ok" "${BENCH_MEDIAN[$fn]} s"
done
exit 0
