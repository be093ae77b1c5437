#!/usr/bin/env bash
# Augment benchmark: `clipset augment` next to the sox loop a user would otherwise write for the
# same job: 2 copies of every 1 s clip, each at a random gain, speed and background noise level,
# written as WAV files.
# A report, not a test: exits 0 even when the target FAILs. See bench/README.md.
# shellcheck source-path=SCRIPTDIR disable=SC2317  # (SC2317: functions invoked indirectly)
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  cat <<EOF
Usage: bench/augment.sh [OPTIONS]

Issue 23's job: N one-second 16 kHz mono clips (cut by clipset segment from generated tone
recordings), 2 copies each with gain -6..6 dB, speed 0.9..1.1 and background noise from a pool
of 5 one-minute noise recordings at 0..20 dB SNR, written as WAV PCM16, done by:
  clipset augment --jobs J (and --jobs 1),
  a sox loop run by GNU parallel -j J: per copy 'sox in t speed S gain G' then
  'sox -m t -v V "|sox bg -p trim OFF 1" out' (the parameters drawn beforehand by awk; V from the
  drawn SNR and the clip's known level, as a script would do it),
  and the same sox loop in one shell (no parallel).
The sox rows run on the first --sox-clips clips only and are scaled to N (sox's cost per clip
does not depend on N: a few processes per copy). Reports the median of --runs interleaved rounds
and checks the target: clipset --jobs J at least 5x faster than the parallel sox loop.

Options:
  --clips N        Clips (default 20000)
  --sox-clips M    Clips the sox rows run on, scaled to N (default 1000)
  --clipset PATH   clipset binary (default: build/apps/clipset/clipset, built Release if missing)
  --work-dir DIR   Where the data set lives; reused between runs (default /tmp/clipset-bench)
  --out-dir DIR    Where copies are written (default /dev/shm when writable, else the work dir)
  --jobs J         Threads for clipset and jobs for parallel (default 2)
  --runs N         Timed rounds; the median is reported (default 3)
  --regenerate     Rebuild the data set even if it is there
  -h, --help       This help
EOF
}

CLIPS=20000
SOX_CLIPS=1000
CLIPSET_ARG=""
WORK_DIR=/tmp/clipset-bench
OUT_BASE=""
JOBS=2
RUNS=3
REGENERATE=0
TARGET=5

while (($# > 0)); do
  case "$1" in
    --clips) CLIPS="${2:?--clips needs a value}"; shift 2 ;;
    --sox-clips) SOX_CLIPS="${2:?--sox-clips needs a value}"; shift 2 ;;
    --clipset) CLIPSET_ARG="${2:?--clipset needs a value}"; shift 2 ;;
    --work-dir) WORK_DIR="${2:?--work-dir needs a value}"; shift 2 ;;
    --out-dir) OUT_BASE="${2:?--out-dir needs a value}"; shift 2 ;;
    --jobs) JOBS="${2:?--jobs needs a value}"; shift 2 ;;
    --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
    --regenerate) REGENERATE=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; bench_die "unknown option: $1" ;;
  esac
done
bench_require_uint --clips "$CLIPS"
bench_require_uint --sox-clips "$SOX_CLIPS"
bench_require_uint --jobs "$JOBS"
bench_require_uint --runs "$RUNS"
((SOX_CLIPS <= CLIPS)) || SOX_CLIPS=$CLIPS

bench_require_tools sox parallel awk jq cmake
bench_gnu_time >/dev/null
LOAD_START="$(bench_loadavg)"
bench_check_quiet || true
CLIPSET="$(bench_clipset_binary "$CLIPSET_ARG")"

RATE=16000
RECORDING_S=100   # each generated recording gives this many clips
TONE_LEVEL_DB=-9  # the tones' RMS (amplitude 0.5), for the sox loop's noise volume
NOISE_LEVEL_DB=-15  # about the backgrounds' RMS (vol 0.3)
DATA="$WORK_DIR/augment-$CLIPS"

# --- the data set: tone recordings cut into 1 s clips, a background pool, all in train ----------
generate() {
  [[ "$DATA" == "$WORK_DIR"/augment-* ]] || bench_die "refusing to remove unexpected path $DATA"
  rm -rf "$DATA"
  mkdir -p "$DATA/lake" "$DATA/bg"
  local recordings=$(((CLIPS + RECORDING_S - 1) / RECORDING_S)) i
  bench_log "generating $recordings recordings of $RECORDING_S s and 5 backgrounds in $DATA"
  for ((i = 0; i < recordings; i++)); do
    mkdir -p "$DATA/lake/c$((i % 10))"
    printf '%s\t%s\n' "$DATA/lake/c$((i % 10))/rec$i.wav" "$((200 + i * 7))"
  done | parallel -j "$JOBS" --colsep '\t' sox -n -r "$RATE" -c 1 -b 16 {1} synth "$RECORDING_S" sine {2} vol 0.5
  for i in 1 2 3 4 5; do
    sox -n -r "$RATE" -c 1 -b 16 "$DATA/bg/noise$i.wav" synth 60 "$( ((i % 2)) && echo whitenoise || echo pinknoise)" vol 0.3
  done
  (cd "$DATA" &&
    "$CLIPSET" ingest lake -q -o raw.jsonl &&
    "$CLIPSET" segment raw.jsonl -q --length 1s --out clips -o clips.jsonl &&
    head -n "$CLIPS" clips.jsonl | "$CLIPSET" split - -q --ratios 100 --names train -o dataset.jsonl &&
    "$CLIPSET" ingest bg -q -o bg.jsonl)
}
if ((REGENERATE)) || [[ ! -s "$DATA/dataset.jsonl" ]]; then generate; else bench_log "reusing $DATA (pass --regenerate to rebuild)"; fi
[[ "$(wc -l <"$DATA/dataset.jsonl")" == "$CLIPS" ]] || bench_die "$DATA/dataset.jsonl does not hold $CLIPS clips (pass --regenerate)"

# The sox loop's plan: per copy, the clip, its number, gain, speed, background, offset, noise volume.
PLAN="$DATA/sox-plan.tsv"
head -n "$SOX_CLIPS" "$DATA/dataset.jsonl" | jq -r '.path' | awk -v level="$TONE_LEVEL_DB" -v noise="$NOISE_LEVEL_DB" '
  BEGIN { srand(1) }
  { for (k = 1; k <= 2; k++) {
      gain = -6 + 12 * rand(); speed = 0.9 + 0.2 * rand(); snr = 20 * rand()
      bg = 1 + int(5 * rand()); off = 58 * rand()
      vol = exp(log(10) * (level + gain - snr - noise) / 20)  # noise at (level + gain - snr) dB
      printf "%s\t%d\t%.2f\t%.4f\tbg/noise%d.wav\t%.3f\t%.5f\n", $0, k, gain, speed, bg, off, vol } }' >"$PLAN"
find "$DATA/clips" "$DATA/bg" -type f -print0 >"$DATA/files.files0"

if [[ -z "$OUT_BASE" ]]; then
  if [[ -d /dev/shm && -w /dev/shm ]]; then OUT_BASE=/dev/shm; else OUT_BASE="$WORK_DIR"; fi
fi
OUT_ROOT="$(mktemp -d "$OUT_BASE/clipset-augbench.XXXXXX")"
cleanup() { [[ "$OUT_ROOT" == "$OUT_BASE"/clipset-augbench.* ]] && rm -rf "$OUT_ROOT"; }
trap cleanup EXIT
export CLIPSET DATA OUT_ROOT PLAN JOBS

# One copy as a script does it: speed and gain (cut or padded to 1 s), then the noise mixed in.
sox_copy() {
  local clip="$1" k="$2" gain="$3" speed="$4" bg="$5" off="$6" vol="$7" name
  name="$(basename "$clip" .wav)-aug$k"
  sox "$DATA/$clip" "$OUT_ROOT/sox/$name.tmp.wav" speed "$speed" gain "$gain" pad 0 1 trim 0 1
  sox -m "$OUT_ROOT/sox/$name.tmp.wav" -v "$vol" "|sox $DATA/$bg -p trim $off 1" "$OUT_ROOT/sox/$name.wav"
  rm -f "$OUT_ROOT/sox/$name.tmp.wav"
}
augment_with() {  # JOBS FOLDER
  rm -rf "${OUT_ROOT:?}/$2"
  (cd "$DATA" && "$CLIPSET" augment dataset.jsonl -q --jobs "$1" --copies 2 --gain -6..6dB --speed 0.9..1.1 \
    --noise bg.jsonl --snr 0..20dB --out "$OUT_ROOT/$2" -o "$OUT_ROOT/$2.jsonl")
}
run_clipset_j() { augment_with "$JOBS" aug; }
run_clipset_1() { augment_with 1 aug1; }
run_sox_parallel() {
  rm -rf "$OUT_ROOT/sox" && mkdir -p "$OUT_ROOT/sox"
  parallel -j "$JOBS" --colsep '\t' sox_copy {1} {2} {3} {4} {5} {6} {7} <"$PLAN"
}
run_sox_loop() {
  rm -rf "$OUT_ROOT/sox" && mkdir -p "$OUT_ROOT/sox"
  local line
  while IFS=$'\t' read -r -a line; do sox_copy "${line[@]}"; done <"$PLAN"
}
export -f sox_copy augment_with run_clipset_j run_clipset_1 run_sox_parallel run_sox_loop

bench_machine_info "$CLIPSET"
FUNCS=(run_clipset_j run_clipset_1 run_sox_parallel run_sox_loop)
bench_rounds "$RUNS" "$DATA/files.files0" "${FUNCS[@]}"

# Every copy written?
copies=$(find "$OUT_ROOT/aug" -name '*.wav' | wc -l)
((copies == 2 * CLIPS)) || bench_warn "clipset wrote $copies copy files, expected $((2 * CLIPS))"
sox_copies=$(find "$OUT_ROOT/sox" -name '*.wav' | wc -l)
((sox_copies == 2 * SOX_CLIPS)) || bench_warn "the sox loop wrote $sox_copies copy files, expected $((2 * SOX_CLIPS))"

scale="$(bench_calc "$CLIPS / $SOX_CLIPS")"
declare -A SECONDS_FOR=(
  [run_clipset_j]="${BENCH_MEDIAN[run_clipset_j]}" [run_clipset_1]="${BENCH_MEDIAN[run_clipset_1]}"
  [run_sox_parallel]="$(bench_calc "${BENCH_MEDIAN[run_sox_parallel]} * $scale")"
  [run_sox_loop]="$(bench_calc "${BENCH_MEDIAN[run_sox_loop]} * $scale")")
declare -A LABEL=(
  [run_clipset_j]="clipset augment --jobs $JOBS" [run_clipset_1]="clipset augment --jobs 1"
  [run_sox_parallel]="sox loop, parallel -j $JOBS (x$scale)" [run_sox_loop]="sox loop, one shell (x$scale)")
bench_table_start "$CLIPS clips x 2 copies (gain, speed, noise), median of $RUNS interleaved rounds" \
  "tool" "seconds" "copies/s" "vs sox parallel" "cpu s/run (user+sys)" "peak RSS MB"
for fn in "${FUNCS[@]}"; do
  t="${SECONDS_FOR[$fn]}"
  bench_table_row "${LABEL[$fn]}" "$(printf '%.2f' "$t")" "$(awk -v n="$((2 * CLIPS))" -v t="$t" 'BEGIN { printf "%.0f", n / t }')" \
    "$(bench_ratio "${SECONDS_FOR[run_sox_parallel]}" "$t")x" "${BENCH_CPU[$fn]}" "$(bench_mb "${BENCH_RSS_KIB[$fn]}")"
done
bench_table_end
printf 'load avg:  %s at start, %s at end (1, 5, 15 min)\n' "$LOAD_START" "$(bench_loadavg)"
ratio="$(bench_ratio "${SECONDS_FOR[run_sox_parallel]}" "${SECONDS_FOR[run_clipset_j]}")"
ok=0
bench_le "$TARGET" "$ratio" && ok=1
bench_verdict "clipset augment --jobs $JOBS at least ${TARGET}x faster than the sox loop (parallel -j $JOBS)" "$ok" "${ratio}x"
