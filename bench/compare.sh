#!/usr/bin/env bash
# Compare benchmark: `clipset compare --between split --by labels,meta.device --format json` on a
# large manifest next to the jq pipeline a user would write to get the counts it starts from
# (`jq -r ... | sort | uniq -c`: counts per split and value, no divergence, no test), and the
# peak memory of each. A report, not a test: exits 0 even when a target FAILs. See bench/README.md.
# shellcheck source-path=SCRIPTDIR disable=SC2317  # (SC2317: functions invoked indirectly)
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  cat <<EOF2
Usage: bench/compare.sh [OPTIONS]

Generates a manifest of --items clips with a split on each (as bench/stats.sh), then times with
a warm page cache (one untimed run of each first, then the median of --runs interleaved rounds):
  clipset compare --between split --by labels,meta.device --format json
  jq -r '(.labels[] | ...), .meta.device ...' | sort | uniq -c     (the counts only)
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

bench_split_manifest_setup "$@"

JQ_COUNTS='.split as $s | (.labels[] | "labels\t\($s)\t\(.)"), "meta.device\t\($s)\t\(.meta.device)"'
run_compare() { "$CLIPSET" compare "$MANIFEST" --between split --by labels,meta.device --format json --progress never -q >/dev/null; }
run_jq() { jq -r "$JQ_COUNTS" "$MANIFEST" | sort | uniq -c >/dev/null; }
export -f run_compare run_jq
export CLIPSET MANIFEST JQ_COUNTS

NAMES=("clipset compare --between split --by labels,meta.device" "jq -r ... | sort | uniq -c (counts only)")
FUNCS=(run_compare run_jq)

bench_log "warm-up and sanity check"
# The counts of the train split (the reference of both comparisons) agree with jq's.
"$CLIPSET" compare "$MANIFEST" --between split --by labels,meta.device --format json -q |
  jq -r '.comparisons[0] | .fields[] | .field as $f | .values[] | select(.reference > 0) | "\($f) \(.value) \(.reference)"' |
  sort >"$WORK_DIR/compare-train.txt"
jq -r "$JQ_COUNTS" "$MANIFEST" | awk -F'\t' '$2 == "train"' | sort | uniq -c | awk '{ print $2, $4, $1 }' |
  sort >"$WORK_DIR/jq-train.txt"
cmp -s "$WORK_DIR/compare-train.txt" "$WORK_DIR/jq-train.txt" ||
  bench_die "clipset and jq count differently (see $WORK_DIR/compare-train.txt, jq-train.txt)"
for fn in "${FUNCS[@]}"; do bench_warm "$fn"; done

bench_rounds "$RUNS" "$MANIFEST" "${FUNCS[@]}"

bench_vs_jq_report "clipset compare" run_compare run_jq "${NAMES[0]}" "${NAMES[1]}"
exit 0
