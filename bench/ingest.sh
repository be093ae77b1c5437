#!/usr/bin/env bash
# Ingest benchmark: how fast is `clipset ingest` next to the tools a user would otherwise reach
# for (sha256sum, GNU parallel + sha256sum, a soxi loop) on the same synthetic corpus?
# A report, not a test: exits 0 even when a target FAILs. See bench/README.md.
# shellcheck source-path=SCRIPTDIR disable=SC2317  # (SC2317: functions invoked indirectly)
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  cat <<EOF
Usage: bench/ingest.sh [OPTIONS]

Times, on one synthetic corpus of WAV files with a warm page cache (one untimed run of each
command first, then the median of --runs timed rounds):
  clipset ingest --jobs J, clipset ingest --jobs 1, sha256sum (one process),
  parallel -j J sha256sum, a soxi loop, clipset ingest --quality --jobs J
and checks two targets: clipset --jobs J <= 1.2x parallel -j J sha256sum, and clipset --jobs J
faster than the soxi loop.

Options:
  --files N        Recordings in the corpus (default 2000; fewer if the disk is short)
  --classes N      Class folders (default 20)
  --seconds S      Length of each recording, seconds (default 5; 44.1 kHz stereo PCM16 WAV)
  --clipset PATH   clipset binary (default: build/apps/clipset/clipset in the repo, built
                   Release if missing)
  --work-dir DIR   Where the corpus lives; reused between runs (default /tmp/clipset-bench)
  --jobs J         Threads for clipset and jobs for parallel (default 2)
  --runs N         Timed rounds; the median is reported (default 3)
  --skip-soxi      Leave out the (slow) soxi loop
  --regenerate     Rebuild the corpus even if it is already there
  -h, --help       This help
EOF
}

FILES=2000
FILES_SET=0
CLASSES=20
SECONDS_PER_FILE=5
CLIPSET_ARG=""
WORK_DIR=/tmp/clipset-bench
JOBS=2
RUNS=3
SKIP_SOXI=0
REGENERATE=0
RATE=44100
CHANNELS=2
BYTES_PER_SAMPLE=2
TARGET_RATIO=1.2

while (($# > 0)); do
  case "$1" in
    --files) FILES="${2:?--files needs a value}"; FILES_SET=1; shift 2 ;;
    --classes) CLASSES="${2:?--classes needs a value}"; shift 2 ;;
    --seconds) SECONDS_PER_FILE="${2:?--seconds needs a value}"; shift 2 ;;
    --clipset) CLIPSET_ARG="${2:?--clipset needs a value}"; shift 2 ;;
    --work-dir) WORK_DIR="${2:?--work-dir needs a value}"; shift 2 ;;
    --jobs) JOBS="${2:?--jobs needs a value}"; shift 2 ;;
    --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
    --skip-soxi) SKIP_SOXI=1; shift ;;
    --regenerate) REGENERATE=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; bench_die "unknown option: $1" ;;
  esac
done

bench_require_uint --files "$FILES"
bench_require_uint --classes "$CLASSES"
bench_require_uint --jobs "$JOBS"
bench_require_uint --runs "$RUNS"
if ! [[ "$SECONDS_PER_FILE" =~ ^[0-9]+([.][0-9]+)?$ ]] || ! bench_le 0.1 "$SECONDS_PER_FILE"; then
  bench_die "--seconds must be a number >= 0.1 (got '$SECONDS_PER_FILE')"
fi
((CLASSES <= FILES)) || bench_die "--classes ($CLASSES) must not exceed --files ($FILES)"

bench_require_tools sox soxi sha256sum parallel find xargs dd awk cmake df
# Before any work of ours, which would count in the load average itself.
LOAD_START="$(bench_loadavg)"
bench_check_quiet || true
CLIPSET="$(bench_clipset_binary "$CLIPSET_ARG")"

# --- corpus ---------------------------------------------------------------------------------

FRAMES="$(awk -v s="$SECONDS_PER_FILE" -v r="$RATE" 'BEGIN { printf "%d", s * r + 0.5 }')"
BYTES_PER_FILE=$((44 + FRAMES * CHANNELS * BYTES_PER_SAMPLE))  # canonical 44-byte WAV header
MARGIN=$((512 * 1024 * 1024))
mkdir -p "$WORK_DIR"
WORK_DIR="$(cd "$WORK_DIR" && pwd)"

corpus_dir() { printf '%s/corpus-%dfiles-%dclasses-%ss\n' "$WORK_DIR" "$1" "$CLASSES" "$SECONDS_PER_FILE"; }
CORPUS="$(corpus_dir "$FILES")"
SIZE_NOTE=""

if [[ "$REGENERATE" == 1 || ! -f "$CORPUS.complete" ]]; then
  free="$(bench_free_bytes "$WORK_DIR")"
  [[ -d "$CORPUS" ]] && free=$((free + $(du -sb "$CORPUS" | cut -f1)))
  need=$((FILES * BYTES_PER_FILE + MARGIN))
  if ((free < need)); then
    if ((FILES_SET)); then
      bench_die "not enough space in $WORK_DIR for $FILES files: need $((need >> 20)) MiB, have $((free >> 20)) MiB (use --files or --work-dir)"
    fi
    fit=$(((free - MARGIN) / BYTES_PER_FILE / CLASSES * CLASSES))
    ((fit >= CLASSES * 5)) || bench_die "not enough space in $WORK_DIR even for a small corpus ($((free >> 20)) MiB free)"
    SIZE_NOTE="disk short: $((free >> 20)) MiB free in $WORK_DIR, so $fit files instead of the default $FILES"
    bench_warn "$SIZE_NOTE"
    FILES=$fit
    CORPUS="$(corpus_dir "$FILES")"
  fi
fi

generate_corpus() {
  local start end
  bench_log "generating $FILES x ${SECONDS_PER_FILE}s 44.1 kHz stereo PCM16 WAV files in $CLASSES folders ($(((FILES * BYTES_PER_FILE) >> 20)) MiB) in $CORPUS"
  # Only ever remove our own corpus folder (the name is ours, under the work dir).
  [[ "$CORPUS" == "$WORK_DIR"/corpus-* ]] || bench_die "refusing to remove unexpected path $CORPUS"
  rm -rf -- "$CORPUS" "$CORPUS.complete"
  mkdir -p "$CORPUS"
  start=$EPOCHREALTIME
  seq 0 $((CLASSES - 1)) |
    PARALLEL_SHELL=bash parallel --will-cite -j "$(nproc)" --halt now,fail=1 gen_class "$CORPUS" {} "$FILES" "$CLASSES" "$SECONDS_PER_FILE"
  end=$EPOCHREALTIME
  local count
  count="$(find "$CORPUS" -type f -name '*.wav' | wc -l)"
  ((count == FILES)) || bench_die "generated $count files, expected $FILES"
  # A sox-written header check: the first file must read back with the expected length.
  local first
  first="$(find "$CORPUS" -type f -name '*.wav' -print -quit)"
  [[ "$(soxi -s "$first")" == "$FRAMES" ]] || bench_die "unexpected sample count in $first: $(soxi -s "$first")"
  printf 'files=%s classes=%s seconds=%s bytes_per_file=%s generated=%s\n' \
    "$FILES" "$CLASSES" "$SECONDS_PER_FILE" "$BYTES_PER_FILE" "$(date -u +%FT%TZ)" >"$CORPUS.complete"
  bench_log "generated in $(bench_calc "$end - $start") s"
}

if [[ "$REGENERATE" == 1 || ! -f "$CORPUS.complete" ]]; then
  generate_corpus
else
  bench_log "reusing corpus $CORPUS (pass --regenerate to rebuild)"
fi

COUNT="$(find "$CORPUS" -type f -name '*.wav' | wc -l)"
TOTAL_BYTES="$(find "$CORPUS" -type f -name '*.wav' -printf '%s\n' | awk '{ s += $1 } END { printf "%d", s }')"
((COUNT == FILES)) || bench_die "corpus $CORPUS holds $COUNT files, expected $FILES (pass --regenerate)"
avail_kib="$(awk '/^MemAvailable/ { print $2 }' /proc/meminfo)"
((TOTAL_BYTES / 1024 < avail_kib * 8 / 10)) ||
  bench_warn "corpus ($((TOTAL_BYTES >> 20)) MiB) is close to available memory ($((avail_kib >> 10)) MiB): the page cache may not stay warm"

# --- the timed commands ---------------------------------------------------------------------
# Each reads the whole corpus and discards its output. clipset writes its manifest to stdout
# (-o -), redirected to /dev/null: the same work without an output file.

run_clipset_j() { "$CLIPSET" ingest "$CORPUS" --jobs "$JOBS" -o - --progress never -q >/dev/null; }
run_clipset_1() { "$CLIPSET" ingest "$CORPUS" --jobs 1 -o - --progress never -q >/dev/null; }
run_clipset_quality() { "$CLIPSET" ingest "$CORPUS" --quality --jobs "$JOBS" -o - --progress never -q >/dev/null; }
run_sha256sum() { find "$CORPUS" -type f -name '*.wav' -print0 | xargs -0 sha256sum >/dev/null; }
run_parallel_sha() { find "$CORPUS" -type f -name '*.wav' -print0 | parallel --will-cite -0 -j "$JOBS" -X sha256sum >/dev/null; }
# Reference, not a target: the same OpenSSL SHA-256 clipset links, without clipset's other work.
run_parallel_openssl() { find "$CORPUS" -type f -name '*.wav' -print0 | parallel --will-cite -0 -j "$JOBS" -X openssl dgst -sha256 >/dev/null; }
run_soxi_loop() {
  local f
  find "$CORPUS" -type f -name '*.wav' -print0 | while IFS= read -r -d '' f; do soxi "$f"; done >/dev/null
}

NAMES=("clipset ingest --jobs $JOBS" "clipset ingest --jobs 1" "sha256sum (1 process)" "parallel -j $JOBS sha256sum")
FUNCS=(run_clipset_j run_clipset_1 run_sha256sum run_parallel_sha)
if ((SKIP_SOXI == 0)); then
  NAMES+=("soxi loop")
  FUNCS+=(run_soxi_loop)
fi
NAMES+=("clipset ingest --quality --jobs $JOBS")
FUNCS+=(run_clipset_quality)
if command -v openssl >/dev/null 2>&1; then
  NAMES+=("parallel -j $JOBS openssl sha256 (hash floor)")
  FUNCS+=(run_parallel_openssl)
fi
BASELINE=run_parallel_sha

FILE_LIST="$WORK_DIR/files.list0"
find "$CORPUS" -type f -name '*.wav' -print0 >"$FILE_LIST"

# Sanity checks (also the warm-up runs: they read every file once).
bench_log "warm-up and sanity checks"
manifest="$WORK_DIR/manifest.jsonl"
"$CLIPSET" ingest "$CORPUS" --jobs "$JOBS" -o - --progress never -q >"$manifest"
lines="$(wc -l <"$manifest")"
((lines == COUNT)) || bench_die "clipset wrote $lines manifest lines for $COUNT files (see $manifest)"
distinct="$(find "$CORPUS" -type f -name '*.wav' -print0 | xargs -0 sha256sum | cut -c1-64 | sort -u | wc -l)"
((distinct == COUNT)) || bench_die "only $distinct distinct contents among $COUNT files (pass --regenerate)"
for fn in "${FUNCS[@]}"; do
  [[ "$fn" == run_clipset_j || "$fn" == run_sha256sum ]] && continue  # just ran, above
  bench_warm "$fn"
done

bench_interleaved_rounds "$RUNS" "$FILE_LIST"

RESIDENT_AFTER="$(bench_resident_pct "$FILE_LIST")"
# --- report ---------------------------------------------------------------------------------

echo "== clipset ingest benchmark =="
bench_machine_info "$CLIPSET"
printf 'corpus:    %s\n' "$CORPUS"
printf '           %d files, %d class folders, %s s 44.1 kHz stereo PCM16 WAV each, %.1f MB total\n' \
  "$COUNT" "$CLASSES" "$SECONDS_PER_FILE" "$(bench_calc "$TOTAL_BYTES / 1e6")"
[[ -n "$SIZE_NOTE" ]] && printf 'NOTE:      %s\n' "$SIZE_NOTE"
printf 'method:    warm page cache (one untimed run of each command, and every file re-read just\n'
printf '           before each timed run), median of %d interleaved rounds\n' "$RUNS"
printf 'cache:     %s%% of the corpus in the page cache after the last run\n' "$RESIDENT_AFTER"
bench_quietness run_sha256sum "$RUNS" "$LOAD_START"
echo

base="${MEDIAN[$BASELINE]}"
bench_files_table "$RUNS" "$COUNT" "$TOTAL_BYTES" "$BASELINE" "parallel -j$JOBS sha" run_clipset_quality
echo

ours="${MEDIAN[run_clipset_j]}"
limit="$(bench_calc "$TARGET_RATIO * $base")"
ok=0
bench_le "$ours" "$limit" && ok=1
bench_verdict "clipset --jobs $JOBS <= ${TARGET_RATIO}x parallel -j $JOBS sha256sum" "$ok" \
  "$ours s vs limit $limit s; ratio $(bench_ratio "$ours" "$base")x"
if ((SKIP_SOXI == 0)); then
  soxi_t="${MEDIAN[run_soxi_loop]}"
  ok=0
  bench_lt "$ours" "$soxi_t" && ok=1
  bench_verdict "clipset --jobs $JOBS faster than the soxi loop" "$ok" \
    "$ours s vs $soxi_t s; $(bench_ratio "$soxi_t" "$ours")x faster"
else
  echo "SKIP  clipset --jobs $JOBS faster than the soxi loop  (--skip-soxi)"
fi
exit 0
