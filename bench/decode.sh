#!/usr/bin/env bash
# Decode benchmark: how fast does clipset's FFmpeg backend decode phone recordings (M4A/AAC by
# default) next to the ffmpeg tool itself on the same files?
# A report, not a test: exits 0 even when the target FAILs. See bench/README.md.
#
# What is timed on the clipset side is `clipset validate MANIFEST --decode`: for every file it
# opens it (the demux pass that counts frames, no decoding), decodes it in full to float and
# measures its levels (the check that the file decodes and holds the declared frames). It is the
# subcommand whose work is decoding and nothing else worth counting: no hashing (no --hash),
# no resampling or writing (segment), and the manifest is written once, untimed, beforehand.
# The baseline is `ffmpeg -nostdin -i FILE -f null -` per file (decode, no output), one process
# per file as a script would run it, sequentially for --jobs 1 and through `parallel -j J`.
# shellcheck source-path=SCRIPTDIR disable=SC2317  # (SC2317: functions invoked indirectly)
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  cat <<USAGE
Usage: bench/decode.sh [OPTIONS]

Times, on one corpus of generated phone recordings with a warm page cache (one untimed run of
each command, then the median of --runs timed rounds):
  clipset validate --decode --jobs 1, ffmpeg -f null per file (a loop),
  clipset validate --decode --jobs J, parallel -j J ffmpeg -f null
and checks the target: clipset within ${TARGET_RATIO:-1.2}x of ffmpeg at --jobs 1 and at --jobs J.

Options:
  --files N        Recordings (default 24)
  --seconds S      Length of each, seconds (default 60)
  --codec C        aac (M4A, default), alac (M4A), opus (WebM) or amr (3GP, made with sox)
  --clipset PATH   clipset binary (default: build/apps/clipset/clipset, built Release if missing)
  --work-dir DIR   Where the corpus lives; reused between runs (default /tmp/clipset-bench)
  --jobs J         Threads for clipset, jobs for parallel (default 2)
  --runs N         Timed rounds; the median is reported (default 3)
  --regenerate     Rebuild the corpus even if it is there
  -h, --help       This help
USAGE
}

FILES=24
SECONDS_PER_FILE=60
CODEC=aac
CLIPSET_ARG=""
WORK_DIR=/tmp/clipset-bench
JOBS=2
RUNS=3
REGENERATE=0
TARGET_RATIO=1.2

while (($# > 0)); do
  case "$1" in
    --files) FILES="${2:?--files needs a value}"; shift 2 ;;
    --seconds) SECONDS_PER_FILE="${2:?--seconds needs a value}"; shift 2 ;;
    --codec) CODEC="${2:?--codec needs a value}"; shift 2 ;;
    --clipset) CLIPSET_ARG="${2:?--clipset needs a value}"; shift 2 ;;
    --work-dir) WORK_DIR="${2:?--work-dir needs a value}"; shift 2 ;;
    --jobs) JOBS="${2:?--jobs needs a value}"; shift 2 ;;
    --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
    --regenerate) REGENERATE=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; bench_die "unknown option: $1" ;;
  esac
done

bench_require_uint --files "$FILES"
bench_require_uint --seconds "$SECONDS_PER_FILE"
bench_require_uint --jobs "$JOBS"
bench_require_uint --runs "$RUNS"
case "$CODEC" in
  aac) EXT=m4a; ENCODE=(-c:a aac -b:a 96k); RATE=48000 ;;
  alac) EXT=m4a; ENCODE=(-c:a alac); RATE=48000 ;;
  opus) EXT=webm; ENCODE=(-c:a libopus -b:a 64k); RATE=48000 ;;
  amr) EXT=3gp; ENCODE=(); RATE=8000 ;;
  *) bench_die "--codec must be aac, alac, opus or amr (got '$CODEC')" ;;
esac

bench_require_tools ffmpeg parallel find awk cmake
[[ "$CODEC" != amr ]] || bench_require_tools sox
LOAD_START="$(bench_loadavg)"
bench_check_quiet || true
CLIPSET="$(bench_clipset_binary "$CLIPSET_ARG")"

mkdir -p "$WORK_DIR"
WORK_DIR="$(cd "$WORK_DIR" && pwd)"
CORPUS="$WORK_DIR/decode-$CODEC-${FILES}files-${SECONDS_PER_FILE}s"
MANIFEST="$CORPUS.jsonl"

# One recording: a phone-like mix (a tone that moves, over noise), mono, as phones record.
gen_one() {
  local corpus="$1" i="$2" seconds="$3" codec="$4" ext="$5" rate="$6"
  shift 6
  local out
  out="$(printf '%s/rec_%04d.%s' "$corpus" "$i" "$ext")"
  local src="sine=frequency=$((200 + 37 * i)):sample_rate=$rate:duration=$seconds"
  local noise="anoisesrc=color=pink:amplitude=0.05:sample_rate=$rate:duration=$seconds:seed=$i"
  if [[ "$codec" == amr ]]; then
    local wav="$out.wav" amr="$out.amr"
    ffmpeg -nostdin -loglevel error -y -f lavfi -i "$src" -f lavfi -i "$noise" -filter_complex amix=inputs=2 "$wav"
    sox "$wav" -t amr-nb -C 7 "$amr"
    ffmpeg -nostdin -loglevel error -y -i "$amr" -c:a copy "$out"
    rm -f -- "$wav" "$amr"
  else
    ffmpeg -nostdin -loglevel error -y -f lavfi -i "$src" -f lavfi -i "$noise" -filter_complex amix=inputs=2 "$@" "$out"
  fi
}
export -f gen_one

if [[ "$REGENERATE" == 1 || ! -f "$CORPUS.complete" ]]; then
  bench_log "generating $FILES x ${SECONDS_PER_FILE}s $CODEC recordings (.$EXT) in $CORPUS"
  [[ "$CORPUS" == "$WORK_DIR"/decode-* ]] || bench_die "refusing to remove unexpected path $CORPUS"
  rm -rf -- "$CORPUS" "$CORPUS.complete" "$MANIFEST"
  mkdir -p "$CORPUS"
  seq 0 $((FILES - 1)) | PARALLEL_SHELL=bash parallel --will-cite -j "$(nproc)" --halt now,fail=1 \
    gen_one "$CORPUS" {} "$SECONDS_PER_FILE" "$CODEC" "$EXT" "$RATE" "${ENCODE[@]}"
  date -u +%FT%TZ >"$CORPUS.complete"
fi
COUNT="$(find "$CORPUS" -type f -name "*.$EXT" | wc -l)"
((COUNT == FILES)) || bench_die "corpus $CORPUS holds $COUNT files, expected $FILES (pass --regenerate)"
TOTAL_BYTES="$(find "$CORPUS" -type f -name "*.$EXT" -printf '%s\n' | awk '{ s += $1 } END { printf "%d", s }')"

# The manifest validate reads: made once, untimed.
"$CLIPSET" ingest "$CORPUS" -o "$MANIFEST" -q --progress never
AUDIO_SECONDS="$(awk -F'"duration":' '{ split($2, a, ","); s += a[1] } END { printf "%.1f", s }' "$MANIFEST")"

run_clipset_1() { "$CLIPSET" validate "$MANIFEST" --decode --jobs 1 -q --progress never >/dev/null; }
run_clipset_j() { "$CLIPSET" validate "$MANIFEST" --decode --jobs "$JOBS" -q --progress never >/dev/null; }
run_ffmpeg_loop() {
  local f
  find "$CORPUS" -type f -name "*.$EXT" -print0 | sort -z | while IFS= read -r -d '' f; do
    ffmpeg -nostdin -loglevel error -threads 1 -i "$f" -f null - || return 1
  done
}
run_ffmpeg_parallel() {
  find "$CORPUS" -type f -name "*.$EXT" -print0 |
    parallel --will-cite -0 -j "$JOBS" --halt now,fail=1 ffmpeg -nostdin -loglevel error -threads 1 -i {} -f null -
}

NAMES=("clipset validate --decode --jobs 1" "ffmpeg -f null (a loop)" "clipset validate --decode --jobs $JOBS" "parallel -j $JOBS ffmpeg -f null")
FUNCS=(run_clipset_1 run_ffmpeg_loop run_clipset_j run_ffmpeg_parallel)
declare -A MEDIAN CPU
for f in "${FUNCS[@]}"; do bench_warm "$f"; done
# Interleaved rounds: a burst of load from elsewhere hits every command alike.
declare -A TIMES
for ((round = 0; round < RUNS; round++)); do
  for f in "${FUNCS[@]}"; do
    bench_time_once "$f" >/dev/null
    read -r wall user sys <<<"$BENCH_LAST_RUN"
    TIMES[$f]+="$wall "
    CPU[$f]="$(bench_calc "${CPU[$f]:-0} + ($user + $sys) / $RUNS")"
  done
done
for f in "${FUNCS[@]}"; do
  # shellcheck disable=SC2086  # word splitting of the list of times is wanted
  MEDIAN[$f]="$(bench_median_of ${TIMES[$f]})"
  bench_log "$f: ${TIMES[$f]}s -> median ${MEDIAN[$f]} s"
done

bench_machine_info "$CLIPSET"
printf 'ffmpeg:    %s\n' "$(ffmpeg -version | head -n 1)"
printf 'corpus:    %s\n' "$CORPUS"
printf '           %d x %s s %s (.%s), %.1f s of audio, %.1f MB\n' "$COUNT" "$SECONDS_PER_FILE" "$CODEC" "$EXT" \
  "$AUDIO_SECONDS" "$(bench_calc "$TOTAL_BYTES / 1e6")"
printf 'method:    warm page cache, one untimed run of each, median of %d interleaved rounds\n' "$RUNS"
printf 'load:      %s at the start\n' "$LOAD_START"
echo
printf '%-40s %9s %9s %12s %8s\n' "command" "median s" "cpu s" "x realtime" "ratio"
pairs=(run_clipset_1:run_ffmpeg_loop run_clipset_j:run_ffmpeg_parallel)
for f in "${FUNCS[@]}"; do
  base=""
  for p in "${pairs[@]}"; do [[ "${p%%:*}" == "$f" ]] && base="${MEDIAN[${p##*:}]}"; done
  ratio="-"
  [[ -n "$base" ]] && ratio="$(bench_ratio "${MEDIAN[$f]}" "$base")x"
  for i in "${!FUNCS[@]}"; do [[ "${FUNCS[$i]}" == "$f" ]] && name="${NAMES[$i]}"; done
  printf '%-40s %9s %9s %12s %8s\n' "$name" "${MEDIAN[$f]}" "${CPU[$f]}" \
    "$(bench_ratio "$AUDIO_SECONDS" "${MEDIAN[$f]}")" "$ratio"
done
echo
for p in "${pairs[@]}"; do
  ours="${MEDIAN[${p%%:*}]}" theirs="${MEDIAN[${p##*:}]}"
  limit="$(bench_calc "$TARGET_RATIO * $theirs")"
  ok=0
  bench_le "$ours" "$limit" && ok=1
  bench_verdict "${p%%:*} <= ${TARGET_RATIO}x ${p##*:}" "$ok" "$ours s vs $theirs s; ratio $(bench_ratio "$ours" "$theirs")x"
done
exit 0
