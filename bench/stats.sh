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

bench_split_manifest_setup "$@"

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

bench_vs_jq_report "clipset stats" run_stats run_jq "${NAMES[0]}" "${NAMES[1]}"
exit 0
