#!/usr/bin/env bash
# Validate benchmark: `clipset validate --hash` (every file present, its size and its SHA-256
# against the manifest) next to what a user would otherwise run: `sha256sum -c` over a checksum
# list, split over GNU parallel. A report, not a test: exits 0 even when the target FAILs.
# See bench/README.md.
# shellcheck source-path=SCRIPTDIR disable=SC2317  # (SC2317: functions invoked indirectly)
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  cat <<EOF2
Usage: bench/validate.sh [OPTIONS]

Times, on one synthetic corpus of WAV files with a warm page cache (one untimed run of each
command first, then the median of --runs interleaved rounds):
  clipset validate MANIFEST --hash --jobs J, clipset validate --jobs J (no hashing),
  parallel -j J sha256sum -c (the checksum list cut into parts), sha256sum -c (one process)
and checks the target: clipset validate --hash --jobs J <= 1.1x parallel -j J sha256sum -c.

Options:
  --files N        Recordings in the corpus (default 2000)
  --classes N      Class folders (default 20)
  --seconds S      Length of each recording, seconds (default 1; 44.1 kHz stereo PCM16 WAV)
  --clipset PATH   clipset binary (default: build/apps/clipset/clipset in the repo, built
                   Release if missing)
  --work-dir DIR   Where the corpus lives; reused between runs (default /tmp/clipset-bench)
  --jobs J         Threads for clipset and jobs for parallel (default 2)
  --runs N         Timed rounds; the median is reported (default 5)
  --regenerate     Rebuild the corpus even if it is already there
  -h, --help       This help
EOF2
}

FILES=2000
CLASSES=20
SECONDS_PER_FILE=1
CLIPSET_ARG=""
WORK_DIR=/tmp/clipset-bench
JOBS=2
RUNS=5
REGENERATE=0
TARGET_RATIO=1.1

while (($# > 0)); do
  case "$1" in
    --files) FILES="${2:?--files needs a value}"; shift 2 ;;
    --classes) CLASSES="${2:?--classes needs a value}"; shift 2 ;;
    --seconds) SECONDS_PER_FILE="${2:?--seconds needs a value}"; shift 2 ;;
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
bench_require_uint --classes "$CLASSES"
bench_require_uint --jobs "$JOBS"
bench_require_uint --runs "$RUNS"
((CLASSES <= FILES)) || bench_die "--classes ($CLASSES) must not exceed --files ($FILES)"
bench_require_tools sox sha256sum parallel find awk cmake dd

LOAD_START="$(bench_loadavg)"
bench_check_quiet || true
CLIPSET="$(bench_clipset_binary "$CLIPSET_ARG")"

# --- corpus, manifest and checksum list -----------------------------------------------------
# The corpus has ingest.sh's layout and name, so either script reuses the other's.

mkdir -p "$WORK_DIR"
WORK_DIR="$(cd "$WORK_DIR" && pwd)"
CORPUS="$(printf '%s/corpus-%dfiles-%dclasses-%ss' "$WORK_DIR" "$FILES" "$CLASSES" "$SECONDS_PER_FILE")"
if [[ "$REGENERATE" == 1 || ! -f "$CORPUS.complete" ]]; then
  [[ "$CORPUS" == "$WORK_DIR"/corpus-* ]] || bench_die "refusing to remove unexpected path $CORPUS"
  rm -rf -- "$CORPUS" "$CORPUS.complete"
  mkdir -p "$CORPUS"
  bench_log "generating $FILES x ${SECONDS_PER_FILE}s WAV files in $CLASSES folders in $CORPUS"
  seq 0 $((CLASSES - 1)) |
    PARALLEL_SHELL=bash parallel --will-cite -j "$(nproc)" --halt now,fail=1 gen_class "$CORPUS" {} "$FILES" "$CLASSES" "$SECONDS_PER_FILE"
  printf 'files=%s classes=%s seconds=%s generated=%s\n' "$FILES" "$CLASSES" "$SECONDS_PER_FILE" "$(date -u +%FT%TZ)" >"$CORPUS.complete"
else
  bench_log "reusing corpus $CORPUS (pass --regenerate to rebuild)"
fi
COUNT="$(find "$CORPUS" -type f -name '*.wav' | wc -l)"
((COUNT == FILES)) || bench_die "corpus $CORPUS holds $COUNT files, expected $FILES (pass --regenerate)"
TOTAL_BYTES="$(find "$CORPUS" -type f -name '*.wav' -printf '%s\n' | awk '{ s += $1 } END { printf "%d", s }')"

MANIFEST="$WORK_DIR/validate-manifest.jsonl"
SUMS="$WORK_DIR/validate-sha256sums.txt"
FILE_LIST="$WORK_DIR/validate-files.list0"
"$CLIPSET" ingest "$CORPUS" --jobs "$JOBS" -o "$MANIFEST" --progress never -q
find "$CORPUS" -type f -name '*.wav' -print0 | sort -z >"$FILE_LIST"
xargs -0 sha256sum <"$FILE_LIST" >"$SUMS"
[[ "$(wc -l <"$MANIFEST")" == "$COUNT" ]] || bench_die "the manifest has $(wc -l <"$MANIFEST") lines for $COUNT files"

# --- the timed commands ---------------------------------------------------------------------

run_validate_hash() { "$CLIPSET" validate "$MANIFEST" --hash --jobs "$JOBS" --progress never -q; }
run_validate_stat() { "$CLIPSET" validate "$MANIFEST" --jobs "$JOBS" --progress never -q; }
# --pipepart cuts the list into 4 parts per job slot, each checked by one sha256sum -c.
run_parallel_sha() { parallel --will-cite --pipepart -a "$SUMS" --block -4 -j "$JOBS" sha256sum -c --quiet; }
run_sha256sum() { sha256sum -c --quiet "$SUMS"; }

NAMES=("clipset validate --hash --jobs $JOBS" "parallel -j $JOBS sha256sum -c" "sha256sum -c (1 process)" "clipset validate --jobs $JOBS (no --hash)")
FUNCS=(run_validate_hash run_parallel_sha run_sha256sum run_validate_stat)
BASELINE=run_parallel_sha

bench_log "warm-up and sanity checks"
for fn in "${FUNCS[@]}"; do
  out="$("$fn")" || bench_die "$fn failed on the clean corpus: $out"
  [[ -z "$out" ]] || bench_die "$fn reported problems on the clean corpus: $out"
done

bench_interleaved_rounds "$RUNS" "$FILE_LIST"

# --- report ---------------------------------------------------------------------------------

echo "== clipset validate benchmark =="
bench_machine_info "$CLIPSET"
printf 'corpus:    %s\n' "$CORPUS"
printf '           %d files, %s s 44.1 kHz stereo PCM16 WAV each, %.1f MB total\n' \
  "$COUNT" "$SECONDS_PER_FILE" "$(bench_calc "$TOTAL_BYTES / 1e6")"
printf 'method:    warm page cache, median of %d interleaved rounds\n' "$RUNS"
bench_quietness run_sha256sum "$RUNS" "$LOAD_START"
echo

base="${MEDIAN[$BASELINE]}"
bench_files_table "$RUNS" "$COUNT" "$TOTAL_BYTES" "$BASELINE" "parallel -j$JOBS sha256sum -c"
echo

ours="${MEDIAN[run_validate_hash]}"
limit="$(bench_calc "$TARGET_RATIO * $base")"
ok=0
bench_le "$ours" "$limit" && ok=1
bench_verdict "clipset validate --hash --jobs $JOBS <= ${TARGET_RATIO}x parallel -j $JOBS sha256sum -c" "$ok" \
  "$ours s vs limit $limit s; ratio $(bench_ratio "$ours" "$base")x"
exit 0
