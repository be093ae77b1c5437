#!/usr/bin/env bash
# Stats benchmark: `clipset stats --by labels,split --format json` on a large manifest next to
# the jq pipeline a user would write to count classes (`jq -r '.labels[0]' | sort | uniq -c`),
# and the peak memory of each. A report, not a test: exits 0 even when a target FAILs.
# See bench/README.md.
# shellcheck source-path=SCRIPTDIR disable=SC2317  # (SC2317: functions invoked indirectly)
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  cat <<EOF2
Usage: bench/stats.sh [OPTIONS]

Generates a manifest of --items clips (bench/clip_manifest.awk, as bench/split.sh) with a split
on each, then times with a warm page cache (one untimed run of each first, then the median of
--runs interleaved rounds):
  clipset stats --by labels,split --format json
  jq -r '.labels[0]' | sort | uniq -c        (first label only: less than clipset computes)
and measures the peak RSS of each with GNU time. Targets: clipset faster than the jq pipeline,
and its peak RSS under 100 MB.

Options:
  --items N        Clips in the manifest (default 1000000)
  --groups N       Recordings (leakage groups) (default 5000)
  --classes N      Classes (default 20)
  --clipset PATH   clipset binary (default: build/apps/clipset/clipset, built Release if missing)
  --work-dir DIR   Where the manifest lives; reused between runs (default /tmp/clipset-bench)
  --runs N         Timed rounds; the median is reported (default 3)
  --regenerate     Rebuild the manifest even if it is already there
  -h, --help       This help
EOF2
}

ITEMS=1000000
GROUPS_N=5000
CLASSES=20
CLIPSET_ARG=""
WORK_DIR=/tmp/clipset-bench
RUNS=3
REGENERATE=0

while (($# > 0)); do
  case "$1" in
    --items) ITEMS="${2:?--items needs a value}"; shift 2 ;;
    --groups) GROUPS_N="${2:?--groups needs a value}"; shift 2 ;;
    --classes) CLASSES="${2:?--classes needs a value}"; shift 2 ;;
    --clipset) CLIPSET_ARG="${2:?--clipset needs a value}"; shift 2 ;;
    --work-dir) WORK_DIR="${2:?--work-dir needs a value}"; shift 2 ;;
    --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
    --regenerate) REGENERATE=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; bench_die "unknown option: $1" ;;
  esac
done

bench_require_uint --items "$ITEMS"
bench_require_uint --groups "$GROUPS_N"
bench_require_uint --classes "$CLASSES"
bench_require_uint --runs "$RUNS"
((GROUPS_N <= ITEMS)) || bench_die "--groups ($GROUPS_N) must not exceed --items ($ITEMS)"
bench_require_tools jq awk sort uniq cmake df
bench_gnu_time >/dev/null

LOAD_START="$(bench_loadavg)"
bench_check_quiet || true
CLIPSET="$(bench_clipset_binary "$CLIPSET_ARG")"

mkdir -p "$WORK_DIR"
WORK_DIR="$(cd "$WORK_DIR" && pwd)"
MANIFEST="$WORK_DIR/stats-${ITEMS}items-${GROUPS_N}groups-${CLASSES}classes.jsonl"

# The clip manifest plus a split per recording (80/10/10 by a hash of the group), so that
# --by labels,split has real cells.
generate_manifest() {
  local free need start
  free="$(bench_free_bytes "$WORK_DIR")"
  need=$((ITEMS * 750 + (256 << 20)))
  ((free > need)) || bench_die "not enough space in $WORK_DIR: need $((need >> 20)) MiB, have $((free >> 20)) MiB"
  bench_log "generating $ITEMS clips from $GROUPS_N recordings over $CLASSES classes in $MANIFEST"
  start=$EPOCHREALTIME
  awk -v n="$ITEMS" -v groups="$GROUPS_N" -v classes="$CLASSES" -f "$BENCH_REPO_ROOT/bench/clip_manifest.awk" |
    awk '{ g = substr($0, index($0, "\"group\":\"rec") + 12, 5) + 0; s = g % 10 == 0 ? "test" : g % 10 == 1 ? "val" : "train"
           sub(/,"manifest_version":1}$/, ",\"split\":\"" s "\",\"manifest_version\":1}"); print }' >"$MANIFEST.tmp"
  mv "$MANIFEST.tmp" "$MANIFEST"
  bench_log "generated in $(bench_calc "$EPOCHREALTIME - $start") s"
}

if [[ "$REGENERATE" == 1 || ! -f "$MANIFEST" ]]; then
  generate_manifest
else
  bench_log "reusing $MANIFEST (pass --regenerate to rebuild)"
fi
LINES="$(wc -l <"$MANIFEST")"
BYTES="$(stat -c %s "$MANIFEST")"
((LINES == ITEMS)) || bench_die "$MANIFEST holds $LINES lines, expected $ITEMS (pass --regenerate)"

run_stats() { "$CLIPSET" stats "$MANIFEST" --by labels,split --format json --progress never -q >/dev/null; }
run_jq() { jq -r '.labels[0]' "$MANIFEST" | sort | uniq -c >/dev/null; }
export -f run_stats run_jq
export CLIPSET MANIFEST

NAMES=("clipset stats --by labels,split --format json" "jq -r '.labels[0]' | sort | uniq -c")
FUNCS=(run_stats run_jq)

bench_log "warm-up and sanity check"
# The per-class item totals of clipset and of jq (every label, for a fair comparison) agree.
"$CLIPSET" stats "$MANIFEST" --format json -q | jq -r '.classes.list[] | "\(.label) \(.figures.items)"' | sort >"$WORK_DIR/stats-classes.txt"
jq -r '.labels[]' "$MANIFEST" | sort | uniq -c | awk '{ print $2, $1 }' | sort >"$WORK_DIR/jq-classes.txt"
cmp -s "$WORK_DIR/stats-classes.txt" "$WORK_DIR/jq-classes.txt" ||
  bench_die "clipset and jq count classes differently (see $WORK_DIR/stats-classes.txt, jq-classes.txt)"
for fn in "${FUNCS[@]}"; do bench_warm "$fn"; done

bench_rounds "$RUNS" "$MANIFEST" "${FUNCS[@]}"

echo "== clipset stats benchmark =="
bench_machine_info "$CLIPSET"
printf 'jq:        %s\n' "$(jq --version 2>&1)"
printf 'manifest:  %s\n' "$MANIFEST"
printf '           %d items, %d groups, %d classes, %.1f MB\n' "$ITEMS" "$GROUPS_N" "$CLASSES" "$(bench_calc "$BYTES / 1e6")"
printf 'method:    warm page cache, median of %d interleaved rounds; peak RSS (largest process of\n' "$RUNS"
printf '           a pipeline) from GNU time\n'
printf 'load avg:  %s at start (1, 5, 15 min)\n' "$LOAD_START"
echo

bench_table_start "" "tool" "seconds" "items/s" "vs jq" "cpu s/run (user+sys)" "peak RSS MB"
for i in "${!FUNCS[@]}"; do
  fn="${FUNCS[$i]}"
  t="${BENCH_MEDIAN[$fn]}"
  bench_table_row "${NAMES[$i]}" "$t" \
    "$(awk -v n="$ITEMS" -v t="$t" 'BEGIN { printf "%.0f", n / t }')" \
    "$(bench_ratio "$t" "${BENCH_MEDIAN[run_jq]}")x" "${BENCH_CPU[$fn]}" "$(bench_mb "${BENCH_RSS_KIB[$fn]}")"
done
bench_table_end
echo

ok=0
bench_lt "${BENCH_MEDIAN[run_stats]}" "${BENCH_MEDIAN[run_jq]}" && ok=1
bench_verdict "clipset stats faster than the jq pipeline" "$ok" \
  "${BENCH_MEDIAN[run_stats]} s vs ${BENCH_MEDIAN[run_jq]} s; $(bench_ratio "${BENCH_MEDIAN[run_jq]}" "${BENCH_MEDIAN[run_stats]}")x faster"
ok=0
# ru_maxrss is in KiB; the limit is 100 MB = 100e6 bytes.
((BENCH_RSS_KIB[run_stats] * 1024 < 100000000)) && ok=1
bench_verdict "clipset stats peak RSS under 100 MB" "$ok" "$(bench_mb "${BENCH_RSS_KIB[run_stats]}") MB"
exit 0
