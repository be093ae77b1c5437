#!/usr/bin/env bash
# Near-duplicates benchmark (issue 21), two questions:
#  1. Fingerprinting: `clipset dups` (decode + Chromaprint, no cache) on a corpus of WAVs next to
#     `clipset ingest --quality` on the same files (which also decodes every sample). Target: 2x.
#  2. Matching: generated fingerprints (100,000 by default) put in the fingerprint cache by
#     bench/dups_fingerprints.py, so `clipset dups` only reads the cache, indexes and aligns.
#     Target: under 60 s; peak RSS reported; planted copies found, and no other pair.
# A report, not a test: exits 0 even when a target FAILs. See bench/README.md.
# shellcheck source-path=SCRIPTDIR disable=SC2317  # (SC2317: functions invoked indirectly)
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  cat <<EOF
Usage: bench/dups.sh [OPTIONS]

Options:
  --files N         WAVs in the fingerprinting corpus (default 2000; 5 s, 44.1 kHz stereo PCM16)
  --prints N        generated fingerprints to match (default 100000)
  --values N        sub-fingerprints per generated fingerprint (default 221: a 30 s recording)
  --clipset PATH    clipset binary (default: build/apps/clipset/clipset, built Release if missing)
  --work-dir DIR    where corpus and cache live (default /tmp/clipset-bench)
  --jobs J          threads (default 2)
  --runs N          interleaved timed rounds; medians reported (default 3)
  --skip-fingerprint, --skip-match   leave out one part
  -h, --help        this help
EOF
}

FILES=2000
PRINTS=100000
VALUES=221
CLIPSET_ARG=""
WORK_DIR=/tmp/clipset-bench
JOBS=2
RUNS=3
SKIP_FP=0
SKIP_MATCH=0
while (($# > 0)); do
  case "$1" in
    --files) FILES="${2:?--files needs a value}"; shift 2 ;;
    --prints) PRINTS="${2:?--prints needs a value}"; shift 2 ;;
    --values) VALUES="${2:?--values needs a value}"; shift 2 ;;
    --clipset) CLIPSET_ARG="${2:?--clipset needs a value}"; shift 2 ;;
    --work-dir) WORK_DIR="${2:?--work-dir needs a value}"; shift 2 ;;
    --jobs) JOBS="${2:?--jobs needs a value}"; shift 2 ;;
    --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
    --skip-fingerprint) SKIP_FP=1; shift ;;
    --skip-match) SKIP_MATCH=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; bench_die "unknown option: $1" ;;
  esac
done
bench_require_uint --files "$FILES"
bench_require_uint --prints "$PRINTS"
bench_require_uint --values "$VALUES"
bench_require_uint --jobs "$JOBS"
bench_require_uint --runs "$RUNS"
bench_require_tools sox parallel awk find /usr/bin/python3 /usr/bin/time
LOAD_START="$(bench_loadavg)"
bench_check_quiet || true
CLIPSET="$(bench_clipset_binary "$CLIPSET_ARG")"
mkdir -p "$WORK_DIR"
bench_machine_info "$CLIPSET"
echo "load average at start: $LOAD_START"

# --- 1. fingerprinting ------------------------------------------------------------------------

fingerprint_part() {
  CORPUS="$WORK_DIR/dups-corpus-${FILES}files-5s"
  if [[ ! -f "$CORPUS.complete" ]]; then
    bench_log "generating $FILES five-second WAVs in $CORPUS"
    rm -rf "$CORPUS"
    mkdir -p "$CORPUS"
    seq -f '%05g' 1 "$FILES" | parallel -j "$JOBS" \
      "sox -R -n -r 44100 -c 2 -b 16 $CORPUS/clip_{}.wav synth 5 sine \$((200 + 10#{} % 700)) pinknoise vol 0.3"
    "$CLIPSET" ingest "$CORPUS" -o "$CORPUS.raw.jsonl" -q
    touch "$CORPUS.complete"
  fi
  find "$CORPUS" -type f -print0 >"$CORPUS.list0"
  CACHE1="$WORK_DIR/dups-cache-corpus"
  rm -rf "$CACHE1"
  bench_warm run_dups_cached  # fills the cache
  local -a t_ing=() t_dup=() t_hit=()
  local r
  for ((r = 0; r < RUNS; r++)); do  # interleaved: a load spike hits each alike
    t_ing+=("$(bench_time_once run_ingest_quality | cut -d' ' -f1)")
    t_dup+=("$(bench_time_once run_dups | cut -d' ' -f1)")
    t_hit+=("$(bench_time_once run_dups_cached | cut -d' ' -f1)")
    bench_log "round $((r + 1)): ingest --quality ${t_ing[-1]} s, dups ${t_dup[-1]} s, dups from the cache ${t_hit[-1]} s"
  done
  local ing dup hit ratio
  ing="$(bench_median_of "${t_ing[@]}")"
  dup="$(bench_median_of "${t_dup[@]}")"
  hit="$(bench_median_of "${t_hit[@]}")"
  ratio="$(bench_ratio "$dup" "$ing")"
  echo
  echo "fingerprinting $FILES five-second WAVs (44.1 kHz stereo), --jobs $JOBS, median of $RUNS interleaved rounds:"
  printf '  %-40s %8s s\n' "clipset ingest --quality" "$ing" "clipset dups --no-cache" "$dup" "clipset dups (all from the cache)" "$hit"
  if bench_le "$ratio" 2; then echo "  PASS dups / ingest --quality = $ratio (target <= 2)"; else echo "  FAIL dups / ingest --quality = $ratio (target <= 2)"; fi
}
run_ingest_quality() { bench_cache_files "$CORPUS.list0"; "$CLIPSET" ingest "$CORPUS" --quality --jobs "$JOBS" -o /dev/null -q; }
run_dups() { bench_cache_files "$CORPUS.list0"; "$CLIPSET" dups "$CORPUS.raw.jsonl" --no-cache --jobs "$JOBS" -o /dev/null -q; }
run_dups_cached() { "$CLIPSET" dups "$CORPUS.raw.jsonl" --cache "$CACHE1" --jobs "$JOBS" -o /dev/null -q; }

# --- 2. matching ------------------------------------------------------------------------------

make_prints() {
  rm -rf "$M"
  mkdir -p "$M/one"
  sox -n -r 16000 -c 1 -b 16 "$M/one/tone.wav" synth 5 sine 440
  "$CLIPSET" ingest "$M/one" -o "$M/one.jsonl" -q
  "$CLIPSET" dups "$M/one.jsonl" --cache "$M/cache" -o /dev/null -q
  local header
  header="$(find "$M/cache" -name '*.fp' | head -n 1)"
  bench_log "generating $PRINTS fingerprints of $VALUES values in $M/cache"
  /usr/bin/python3 "$BENCH_REPO_ROOT/bench/dups_fingerprints.py" --count "$PRINTS" --values "$VALUES" \
    --header-from "$header" --cache "$M/cache" --out "$M" >/dev/null
}
run_match() { /usr/bin/time -f '%M' -o "$M/rss" "$CLIPSET" dups "$M/manifest.jsonl" --cache "$M/cache" --jobs "$JOBS" -o "$M/pairs.jsonl" -q; }

# "found other": planted (copy, original) pairs among the pairs, and the other pairs.
count_found() {
  awk -F'\t' 'NR == FNR { want[$2 "\t" $1] = 1; next }
    /"type":"pair"/ {
      match($0, /"a":"[^"]*"/); a = substr($0, RSTART + 5, RLENGTH - 6)
      match($0, /"b":"[^"]*"/); b = substr($0, RSTART + 5, RLENGTH - 6)
      if ((a "\t" b) in want) hit++; else other++
    }
    END { print hit + 0, other + 0 }' "$M/planted.tsv" "$M/pairs.jsonl"
}

match_part() {
  M="$WORK_DIR/dups-match-${PRINTS}x${VALUES}"
  [[ -f "$M/planted.tsv" ]] || make_prints
  local -a t_m=()
  local r
  for ((r = 0; r < RUNS; r++)); do
    t_m+=("$(bench_time_once run_match | cut -d' ' -f1)")
    bench_log "round $((r + 1)): ${t_m[-1]} s, peak RSS $(cat "$M/rss") KiB"
  done
  local match planted found
  match="$(bench_median_of "${t_m[@]}")"
  planted="$(wc -l <"$M/planted.tsv")"
  found="$(count_found)"
  echo
  echo "matching $PRINTS generated fingerprints of $VALUES values (read from the cache), --jobs $JOBS, median of $RUNS:"
  printf '  %-40s %8s s, peak RSS %s MiB\n' "clipset dups" "$match" "$(($(cat "$M/rss") / 1024))"
  echo "  planted copies found: ${found% *} of $planted; other pairs: ${found#* } (two copies of one original also pair up)"
  if bench_lt "$match" 60; then echo "  PASS under 60 s"; else echo "  FAIL $match s (target under 60 s)"; fi
}

((SKIP_FP)) || fingerprint_part
((SKIP_MATCH)) || match_part
echo "load average at end: $(bench_loadavg)"
