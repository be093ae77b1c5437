#!/usr/bin/env bash
# Split benchmark: how fast is `clipset split` on a large manifest next to just reading the same
# file with jq (`jq -c . big.jsonl > /dev/null`), how much memory does it take, and how close
# does it get to the ratios? A report, not a test: exits 0 even when a target FAILs.
# See bench/README.md.
# shellcheck source-path=SCRIPTDIR disable=SC2317  # (SC2317: functions invoked indirectly)
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  cat <<EOF
Usage: bench/split.sh [OPTIONS]

Generates a manifest of --items clips (realistic fields: id, path, sha256, audio header,
labels, group, source, meta) cut from --groups recordings over --classes classes, then times
with a warm page cache (one untimed run of each command first, then the median of --runs
interleaved rounds):
  clipset split --jobs J, clipset split --jobs 1, jq -c . (just reading the file)
and measures the peak RSS of each with GNU time. Targets: clipset split --jobs J faster than
jq, and its peak RSS under 1.5 GB. Also reports the deviation from the ratios it reached.

Options:
  --items N        Clips in the manifest (default 1000000)
  --groups N       Recordings (leakage groups) (default 5000)
  --classes N      Classes (default 20)
  --clipset PATH   clipset binary (default: build/apps/clipset/clipset in the repo, built
                   Release if missing)
  --work-dir DIR   Where the manifest lives; reused between runs (default /tmp/clipset-bench)
  --jobs J         Threads for clipset (default 2)
  --runs N         Timed rounds; the median is reported (default 3)
  --regenerate     Rebuild the manifest even if it is already there
  -h, --help       This help
EOF
}

ITEMS=1000000
GROUPS_N=5000
CLASSES=20
CLIPSET_ARG=""
WORK_DIR=/tmp/clipset-bench
JOBS=2
RUNS=3
REGENERATE=0
RSS_LIMIT_KB=$((1500 * 1000)) # 1.5 GB

while (($# > 0)); do
  case "$1" in
    --items) ITEMS="${2:?--items needs a value}"; shift 2 ;;
    --groups) GROUPS_N="${2:?--groups needs a value}"; shift 2 ;;
    --classes) CLASSES="${2:?--classes needs a value}"; shift 2 ;;
    --clipset) CLIPSET_ARG="${2:?--clipset needs a value}"; shift 2 ;;
    --work-dir) WORK_DIR="${2:?--work-dir needs a value}"; shift 2 ;;
    --jobs) JOBS="${2:?--jobs needs a value}"; shift 2 ;;
    --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
    --regenerate) REGENERATE=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; bench_die "unknown option: $1" ;;
  esac
done

bench_require_uint --items "$ITEMS"
bench_require_uint --groups "$GROUPS_N"
bench_require_uint --classes "$CLASSES"
bench_require_uint --jobs "$JOBS"
bench_require_uint --runs "$RUNS"
((GROUPS_N <= ITEMS)) || bench_die "--groups ($GROUPS_N) must not exceed --items ($ITEMS)"
((CLASSES <= GROUPS_N)) || bench_die "--classes ($CLASSES) must not exceed --groups ($GROUPS_N)"
[[ -x /usr/bin/time ]] || bench_die "GNU time is missing (apt-get install time)"
bench_require_tools jq awk cmake df

LOAD_START="$(bench_loadavg)"
bench_check_quiet || true
CLIPSET="$(bench_clipset_binary "$CLIPSET_ARG")"

# --- the manifest ---------------------------------------------------------------------------

mkdir -p "$WORK_DIR"
WORK_DIR="$(cd "$WORK_DIR" && pwd)"
MANIFEST="$WORK_DIR/split-${ITEMS}items-${GROUPS_N}groups-${CLASSES}classes.jsonl"

# One awk pass (bench/clip_manifest.awk, shared with bench/stats.sh): the clips of a recording
# back to back, as `segment` writes them, skewed classes, some multi-label clips.
generate_manifest() {
  local free need start
  free="$(bench_free_bytes "$WORK_DIR")"
  need=$((ITEMS * 700 + (256 << 20)))
  ((free > need)) || bench_die "not enough space in $WORK_DIR: need $((need >> 20)) MiB, have $((free >> 20)) MiB"
  bench_log "generating $ITEMS clips from $GROUPS_N recordings over $CLASSES classes in $MANIFEST"
  start=$EPOCHREALTIME
  awk -v n="$ITEMS" -v groups="$GROUPS_N" -v classes="$CLASSES" -f "$BENCH_REPO_ROOT/bench/clip_manifest.awk" >"$MANIFEST.tmp"
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

# --- the timed commands ---------------------------------------------------------------------
# Output goes to stdout redirected to /dev/null (not -o /dev/null: that would go through
# clipset's atomic output and, run as root, replace the device).

run_split_j() { "$CLIPSET" split "$MANIFEST" --jobs "$JOBS" --progress never -q >/dev/null; }
run_split_1() { "$CLIPSET" split "$MANIFEST" --jobs 1 --progress never -q >/dev/null; }
run_jq() { jq -c . "$MANIFEST" >/dev/null; }

NAMES=("clipset split --jobs $JOBS" "clipset split --jobs 1" "jq -c . (read only)")
FUNCS=(run_split_j run_split_1 run_jq)

bench_log "warm-up and sanity checks"
REPORT="$WORK_DIR/split-report.json"
SPLIT_OUT="$WORK_DIR/split-out.jsonl"
"$CLIPSET" split "$MANIFEST" --jobs "$JOBS" --progress never -q --report "$REPORT" >"$SPLIT_OUT"
out_lines="$(wc -l <"$SPLIT_OUT")"
((out_lines == LINES)) || bench_die "clipset wrote $out_lines lines for $LINES items (see $SPLIT_OUT)"
# No group in two splits: every (group, split) pair is distinct per group.
leaks="$(jq -r '[.group, .split] | @tsv' "$SPLIT_OUT" | sort -u | cut -f1 | uniq -d | wc -l)"
((leaks == 0)) || bench_die "$leaks groups in two splits (see $SPLIT_OUT)"
rm -f "$SPLIT_OUT"
for fn in run_split_1 run_jq; do bench_warm "$fn"; done

declare -A WALLS USERS SYSS
for fn in "${FUNCS[@]}"; do WALLS[$fn]=""; USERS[$fn]=0; SYSS[$fn]=0; done
# Rounds interleave the tools, so slow drift (thermal, neighbours) spreads over all of them.
for ((round = 1; round <= RUNS; round++)); do
  for i in "${!FUNCS[@]}"; do
    fn="${FUNCS[$i]}"
    cat "$MANIFEST" >/dev/null # untimed: keeps the page cache warm
    bench_time_once "$fn" >/dev/null
    read -r wall user sys <<<"$BENCH_LAST_RUN"
    WALLS[$fn]+="$wall "
    USERS[$fn]="$(bench_calc "${USERS[$fn]} + $user")"
    SYSS[$fn]="$(bench_calc "${SYSS[$fn]} + $sys")"
    bench_log "round $round/$RUNS  ${NAMES[$i]}: ${wall} s (user $user, sys $sys)"
  done
done
declare -A MEDIAN
for fn in "${FUNCS[@]}"; do
  # shellcheck disable=SC2086  # word-splitting the list of times is the point
  MEDIAN[$fn]="$(bench_median_of ${WALLS[$fn]})"
done

# peak_rss_kb FUNC: the peak resident set size (KB) of one run, from GNU time -v.
peak_rss_kb() {
  local log
  log="$(mktemp)"
  CLIPSET="$CLIPSET" MANIFEST="$MANIFEST" JOBS="$JOBS" \
    /usr/bin/time -v -o "$log" bash -c "$(declare -f "$1"); $1"
  awk -F': *' '/Maximum resident set size/ { print $2 }' "$log"
  rm -f "$log"
}
declare -A RSS
for fn in "${FUNCS[@]}"; do
  RSS[$fn]="$(peak_rss_kb "$fn")"
  bench_log "peak RSS ${fn}: ${RSS[$fn]} KB"
done

# --- report ---------------------------------------------------------------------------------

echo "== clipset split benchmark =="
bench_machine_info "$CLIPSET"
printf 'jq:        %s\n' "$(jq --version 2>&1)"
printf 'manifest:  %s\n' "$MANIFEST"
printf '           %d items, %d groups, %d classes, %.1f MB\n' "$ITEMS" "$GROUPS_N" "$CLASSES" "$(bench_calc "$BYTES / 1e6")"
printf 'method:    warm page cache, median of %d interleaved rounds; peak RSS from /usr/bin/time -v\n' "$RUNS"
printf 'load avg:  %s at start (1, 5, 15 min)\n' "$LOAD_START"
echo

bench_table_start "" "tool" "seconds" "items/s" "MB/s" "vs jq" "cpu s/run (user+sys)" "peak RSS MB"
for i in "${!FUNCS[@]}"; do
  fn="${FUNCS[$i]}"
  t="${MEDIAN[$fn]}"
  bench_table_row "${NAMES[$i]}" "$t" \
    "$(awk -v n="$ITEMS" -v t="$t" 'BEGIN { printf "%.0f", n / t }')" \
    "$(awk -v b="$BYTES" -v t="$t" 'BEGIN { printf "%.0f", b / 1e6 / t }')" \
    "$(bench_ratio "$t" "${MEDIAN[run_jq]}")x" \
    "$(awk -v u="${USERS[$fn]}" -v s="${SYSS[$fn]}" -v r="$RUNS" 'BEGIN { printf "%.2f+%.2f", u / r, s / r }')" \
    "$(awk -v k="${RSS[$fn]}" 'BEGIN { printf "%.0f", k / 1000 }')"
done
bench_table_end
echo

echo "Ratios reached (clipset split defaults: 80/10/10, by group, stratified by labels, seed 0):"
jq -r '.splits[] | "  \(.name): \(.items) items in \(.groups) groups, share \(.share * 100 * 1000 | round / 1000)% (target \(.target * 100)%)"' "$REPORT"
jq -r '"  largest deviation: split sizes \(.max_abs_deviation * 100 * 1000 | round / 1000) pp, classes \(.max_abs_class_deviation * 100 * 1000 | round / 1000) pp"' "$REPORT"
echo

ours="${MEDIAN[run_split_j]}"
ok=0
bench_lt "$ours" "${MEDIAN[run_jq]}" && ok=1
bench_verdict "clipset split --jobs $JOBS faster than jq -c . on the same file" "$ok" \
  "$ours s vs ${MEDIAN[run_jq]} s; $(bench_ratio "${MEDIAN[run_jq]}" "$ours")x faster"
ok=0
((RSS[run_split_j] < RSS_LIMIT_KB)) && ok=1
bench_verdict "clipset split peak RSS under 1.5 GB" "$ok" "$(awk -v k="${RSS[run_split_j]}" 'BEGIN { printf "%.0f MB", k / 1000 }')"
exit 0
