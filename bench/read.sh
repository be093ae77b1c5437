#!/usr/bin/env bash
# Manifest read benchmark (issue 17): how close the commands that read a whole manifest come to
# the speed of reading the file at all. `wc -l` (the floor: every byte looked at once) and
# `jq -c .` (a JSON parser a user would reach for) run interleaved with clipset stats, split and
# validate (manifest-only checks) on one warm file; then the same stats on the file fed 1 and 10
# times through a pipe, to show time growing linearly with lines (the 10x input is never kept).
# A report, not a test: exits 0 even when a target FAILs. See bench/README.md.
# shellcheck source-path=SCRIPTDIR disable=SC2317  # (SC2317: functions invoked indirectly)
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  cat <<EOF2
Usage: bench/read.sh [OPTIONS]

Generates a manifest of --items clips (bench/clip_manifest.awk), then times with a warm page
cache, median of --runs interleaved rounds, peak RSS from GNU time:
  wc -l                                      the floor
  jq -c . >/dev/null                         a JSON parser reading every line
  clipset stats --by labels,split --format json
  clipset split >/dev/null
  clipset validate --ignore missing-file,size-mismatch   (no file is opened)
and then \`clipset stats -\` on the file piped 1 and 10 times (the 10x input is never stored).
Targets: stats >= 8x faster than jq and within 10x of wc -l; split and validate >= 5x faster
than jq; peak RSS of stats < 100 MB and of split < 1 GB; 10x the lines in 8-12x the time.

Options:
  --items N        Clips in the manifest (default 1000000)
  --groups N       Recordings (default 5000)
  --classes N      Classes (default 20)
  --clipset PATH   clipset binary (default: build/apps/clipset/clipset, built Release if missing)
  --work-dir DIR   Where the manifest lives; reused between runs (default /tmp/clipset-bench)
  --runs N         Timed rounds; the median is reported (default 3)
  --jobs N         clipset --jobs (default: nproc)
  --no-scale       Skip the 1x/10x pipe runs
  -h, --help       This help
EOF2
}

ITEMS=1000000
GROUPS_N=5000
CLASSES=20
CLIPSET_ARG=""
WORK_DIR=/tmp/clipset-bench
RUNS=3
JOBS="$(nproc)"
SCALE=1

while (($# > 0)); do
  case "$1" in
    --items) ITEMS="${2:?--items needs a value}"; shift 2 ;;
    --groups) GROUPS_N="${2:?--groups needs a value}"; shift 2 ;;
    --classes) CLASSES="${2:?--classes needs a value}"; shift 2 ;;
    --clipset) CLIPSET_ARG="${2:?--clipset needs a value}"; shift 2 ;;
    --work-dir) WORK_DIR="${2:?--work-dir needs a value}"; shift 2 ;;
    --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
    --jobs) JOBS="${2:?--jobs needs a value}"; shift 2 ;;
    --no-scale) SCALE=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; bench_die "unknown option: $1" ;;
  esac
done

bench_require_uint --items "$ITEMS"
bench_require_uint --groups "$GROUPS_N"
bench_require_uint --classes "$CLASSES"
bench_require_uint --runs "$RUNS"
bench_require_uint --jobs "$JOBS"
bench_require_tools jq awk wc cmake df
bench_gnu_time >/dev/null

LOAD_START="$(bench_loadavg)"
bench_check_quiet || true
CLIPSET="$(bench_clipset_binary "$CLIPSET_ARG")"

mkdir -p "$WORK_DIR"
WORK_DIR="$(cd "$WORK_DIR" && pwd)"
MANIFEST="$WORK_DIR/read-${ITEMS}items-${GROUPS_N}groups-${CLASSES}classes.jsonl"
if [[ ! -f "$MANIFEST" ]]; then
  free="$(bench_free_bytes "$WORK_DIR")"
  need=$((ITEMS * 750 + (256 << 20)))
  ((free > need)) || bench_die "not enough space in $WORK_DIR: need $((need >> 20)) MiB, have $((free >> 20)) MiB"
  bench_log "generating $ITEMS clips in $MANIFEST"
  awk -v n="$ITEMS" -v groups="$GROUPS_N" -v classes="$CLASSES" -f "$BENCH_REPO_ROOT/bench/clip_manifest.awk" >"$MANIFEST.tmp"
  mv "$MANIFEST.tmp" "$MANIFEST"
else
  bench_log "reusing $MANIFEST"
fi
BYTES="$(stat -c %s "$MANIFEST")"

run_wc() { wc -l "$MANIFEST" >/dev/null; }
run_jq() { jq -c . "$MANIFEST" >/dev/null; }
run_stats() { "$CLIPSET" stats "$MANIFEST" --by labels,split --format json --jobs "$JOBS" --progress never -q >/dev/null; }
run_split() { "$CLIPSET" split "$MANIFEST" --jobs "$JOBS" --progress never -q >/dev/null; }
run_validate() { "$CLIPSET" validate "$MANIFEST" --ignore missing-file,size-mismatch --jobs "$JOBS" --progress never -q >/dev/null || true; }
export -f run_wc run_jq run_stats run_split run_validate
export CLIPSET MANIFEST JOBS

NAMES=("wc -l" "jq -c ." "clipset stats --by labels,split --format json" "clipset split" "clipset validate (manifest only)")
FUNCS=(run_wc run_jq run_stats run_split run_validate)

bench_log "warm-up"
for fn in "${FUNCS[@]}"; do bench_warm "$fn"; done
bench_rounds "$RUNS" "$MANIFEST" "${FUNCS[@]}"

declare -A SCALE_T=()
if ((SCALE)); then
  pipe_stats() { for ((k = 0; k < $1; k++)); do cat "$MANIFEST"; done | "$CLIPSET" stats - --format json --jobs "$JOBS" --progress never -q >/dev/null; }
  for times in 1 10; do
    start=$EPOCHREALTIME
    pipe_stats "$times"
    SCALE_T[$times]="$(bench_calc "$EPOCHREALTIME - $start")"
    bench_log "stats on the file piped ${times}x: ${SCALE_T[$times]} s"
  done
fi

echo "== clipset manifest read benchmark =="
bench_machine_info "$CLIPSET"
printf 'jq:        %s\n' "$(jq --version 2>&1)"
printf 'manifest:  %s\n' "$MANIFEST"
printf '           %d items, %.1f MB; clipset --jobs %d\n' "$ITEMS" "$(bench_calc "$BYTES / 1e6")" "$JOBS"
printf 'method:    warm page cache, median of %d interleaved rounds; peak RSS from GNU time\n' "$RUNS"
printf 'load avg:  %s at start, %s at end (1, 5, 15 min)\n' "$LOAD_START" "$(bench_loadavg)"
echo

bench_table_start "" "tool" "seconds" "MB/s" "vs wc -l" "vs jq" "cpu s/run (user+sys)" "peak RSS MB"
for i in "${!FUNCS[@]}"; do
  fn="${FUNCS[$i]}"
  t="${BENCH_MEDIAN[$fn]}"
  bench_table_row "${NAMES[$i]}" "$t" "$(bench_calc "$BYTES / 1e6 / $t")" \
    "$(bench_ratio "$t" "${BENCH_MEDIAN[run_wc]}")x" "$(bench_ratio "$t" "${BENCH_MEDIAN[run_jq]}")x" \
    "${BENCH_CPU[$fn]}" "$(bench_mb "${BENCH_RSS_KIB[$fn]}")"
done
bench_table_end
echo

faster() { bench_ratio "${BENCH_MEDIAN[run_jq]}" "${BENCH_MEDIAN[$1]}"; }
ok=0
bench_le 8 "$(faster run_stats)" && ok=1
bench_verdict "stats at least 8x faster than jq -c ." "$ok" "$(faster run_stats)x"
ok=0
bench_le "$(bench_ratio "${BENCH_MEDIAN[run_stats]}" "${BENCH_MEDIAN[run_wc]}")" 10 && ok=1
bench_verdict "stats within 10x of wc -l" "$ok" "$(bench_ratio "${BENCH_MEDIAN[run_stats]}" "${BENCH_MEDIAN[run_wc]}")x"
ok=0
bench_le 5 "$(faster run_split)" && ok=1
bench_verdict "split at least 5x faster than jq -c ." "$ok" "$(faster run_split)x"
ok=0
bench_le 5 "$(faster run_validate)" && ok=1
bench_verdict "validate (manifest only) at least 5x faster than jq -c ." "$ok" "$(faster run_validate)x"
ok=0
((BENCH_RSS_KIB[run_stats] * 1024 < 100000000)) && ok=1
bench_verdict "stats peak RSS under 100 MB" "$ok" "$(bench_mb "${BENCH_RSS_KIB[run_stats]}") MB"
ok=0
((BENCH_RSS_KIB[run_split] * 1024 < 1000000000)) && ok=1
bench_verdict "split peak RSS under 1 GB" "$ok" "$(bench_mb "${BENCH_RSS_KIB[run_split]}") MB"
if ((SCALE)); then
  growth="$(bench_ratio "${SCALE_T[10]}" "${SCALE_T[1]}")"
  ok=0
  bench_le 8 "$growth" && bench_le "$growth" 12 && ok=1
  bench_verdict "10x the lines (piped) in 8-12x the time" "$ok" "${SCALE_T[1]} s -> ${SCALE_T[10]} s: ${growth}x"
fi
exit 0
