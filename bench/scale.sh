#!/usr/bin/env bash
# Scale benchmark: does work split by --shard cost what it costs on one machine? A generated lake
# of 20+ hours goes through ingest and segment with N = 1, 2, 4, 8 shards run one after another
# here (as N machines would run them at once), then clipset merge puts each step back together.
# A report, not a test: exits 0 even when a target FAILs. See bench/README.md.
# shellcheck source-path=SCRIPTDIR disable=SC2317  # (SC2317: functions invoked indirectly)
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  cat <<EOF
Usage: bench/scale.sh [OPTIONS]

Generates a lake (CLASSES folders of FILES/CLASSES WAV files, 8 kHz mono PCM16, class c's files
30 + 10c seconds long: about 21.7 hours with the defaults), then for N in --shards runs
  clipset ingest LAKE --shard I/N --jobs 1        for I = 0..N-1, one after another,
  clipset merge (the N ingest shards),
  clipset segment raw.jsonl --length 1s --out CLIPS --shard I/N --jobs 1, likewise,
  clipset merge (the N segment shards),
checks that both merges equal the N = 1 outputs byte for byte, and reports CPU-seconds per
audio-hour of all shards together (target: flat within 10 % as N grows), the largest shard's
CPU over the mean shard's (target: at most 1.25), and merge seconds per million lines (next to
cat of the same files). --jobs 1 makes CPU and wall time one measure on a shared machine.

Options:
  --files N          Files in the lake (default 1200)
  --classes N        Class folders (default 8)
  --shards LIST      Shard counts (default 1,2,4,8)
  --clipset PATH     clipset binary (default: build/apps/clipset/clipset, built Release if missing)
  --work-dir DIR     Where the lake lives; reused between runs (default /tmp/clipset-bench-scale)
  --out-dir DIR      Where clips are written (default /dev/shm when writable, else the work dir)
  --regenerate       Rebuild the lake even if it is there
  -h, --help         This help
EOF
}

FILES=1200
CLASSES=8
SHARDS=1,2,4,8
CLIPSET=""
WORK=/tmp/clipset-bench-scale
OUT_BASE=""
REGENERATE=0
while (($#)); do
  case "$1" in
    --files) FILES="$2"; shift 2 ;;
    --classes) CLASSES="$2"; shift 2 ;;
    --shards) SHARDS="$2"; shift 2 ;;
    --clipset) CLIPSET="$2"; shift 2 ;;
    --work-dir) WORK="$2"; shift 2 ;;
    --out-dir) OUT_BASE="$2"; shift 2 ;;
    --regenerate) REGENERATE=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) bench_die "unknown option $1 (see --help)" ;;
  esac
done
bench_require_uint --files "$FILES"
bench_require_uint --classes "$CLASSES"
bench_require_tools sox awk cmp
CLIPSET="$(bench_clipset_binary "$CLIPSET")"
if [[ -z "$OUT_BASE" ]]; then
  if [[ -w /dev/shm ]]; then OUT_BASE=/dev/shm; else OUT_BASE="$WORK"; fi
fi
OUT="$(mktemp -d "$OUT_BASE/clipset-scale.XXXXXX")"
trap 'rm -rf "$OUT"' EXIT
LAKE="$WORK/lake"

# --- the lake ---------------------------------------------------------------------------------

gen_scale_class() {
  local lake="$1" c="$2" files="$3" classes="$4" class dir base i idx=()
  class="$(printf 'class_%02d' "$c")"
  dir="$lake/$class"
  mkdir -p "$dir"
  base="$lake/.base_$class.wav"
  sox -R -n -r 8000 -c 1 -b 16 -e signed-integer "$base" \
    synth $((30 + 10 * c)) sine $((110 + 37 * c)) synth pinknoise mix gain -6
  for ((i = c; i < files; i += classes)); do idx+=("$i"); done
  make_variants "$base" "$dir" "$class" "${idx[@]}"
  rm -f "$base"
}

stamp="$LAKE/.generated-$FILES-$CLASSES"
if ((REGENERATE)) || [[ ! -f "$stamp" ]]; then
  rm -rf "$LAKE" && mkdir -p "$LAKE"
  bench_log "generating $FILES files in $CLASSES classes under $LAKE"
  for ((c = 0; c < CLASSES; c++)); do gen_scale_class "$LAKE" "$c" "$FILES" "$CLASSES"; done
  touch "$stamp"
fi
HOURS="$(find "$LAKE" -name '*.wav' -printf '%s\n' | awk '{ s += ($1 - 44) / 16000 } END { printf "%.2f\n", s / 3600 }')"
bench_log "lake: $HOURS hours"

# --- the runs ---------------------------------------------------------------------------------

# cpu_of CMD...: runs it and prints its user+sys CPU seconds.
cpu_of() {
  local wall user sys
  bench_time_once "$@" >/dev/null
  read -r wall user sys <<<"$BENCH_LAST_RUN"
  bench_calc "$user + $sys"
}

ingest_shard() { "$CLIPSET" ingest "$LAKE" --jobs 1 -q --progress never --shard "$1" -o "$2"; }
segment_shard() {
  "$CLIPSET" segment "$OUT/raw.jsonl" --length 1s --out "$OUT/clips" --jobs 1 -q --progress never --shard "$1" -o "$2"
}
merge_shards() { "$CLIPSET" merge "$@" -q >"$OUT/merged.jsonl"; }
cat_shards() { cat "$@" >"$OUT/merged.jsonl"; }

declare -A ROW
run_n() {
  local n="$1" i step total max cpu raw_files=() clip_files=()
  for step in ingest segment; do
    total=0 max=0
    [[ $step == segment ]] && rm -rf "$OUT/clips"
    for ((i = 0; i < n; i++)); do
      local file="$OUT/$step.$i-of-$n.jsonl"
      if [[ $step == ingest ]]; then
        cpu="$(cpu_of ingest_shard "$i/$n" "$file")"
        raw_files+=("$file")
      else
        cpu="$(cpu_of segment_shard "$i/$n" "$file")"
        clip_files+=("$file")
      fi
      total="$(bench_calc "$total + $cpu")"
      bench_lt "$max" "$cpu" && max="$cpu"
    done
    ROW[$n,$step,cpu]="$total"
    ROW[$n,$step,imbalance]="$(bench_ratio "$max" "$(bench_calc "$total / $n")")"
    if [[ $step == ingest ]]; then
      merge_shards "${raw_files[@]}"
      mv "$OUT/merged.jsonl" "$OUT/raw.$n.jsonl"
      [[ $n == "${SHARD_LIST[0]}" ]] && cp "$OUT/raw.$n.jsonl" "$OUT/raw.jsonl"
      cmp -s "$OUT/raw.$n.jsonl" "$OUT/raw.jsonl" && ROW[$n,ingest,same]=yes || ROW[$n,ingest,same]=NO
    fi
  done
  local lines wall
  lines="$(cat "${clip_files[@]}" | wc -l)"
  bench_time_once merge_shards "${clip_files[@]}" >/dev/null
  wall="${BENCH_LAST_RUN%% *}"
  ROW[$n,merge]="$(bench_calc "$wall / $lines * 1000000")"
  bench_time_once cat_shards "${clip_files[@]}" >/dev/null
  ROW[$n,cat]="$(bench_calc "${BENCH_LAST_RUN%% *} / $lines * 1000000")"
  ROW[$n,lines]="$lines"
  bench_time_once merge_shards "${clip_files[@]}" >/dev/null
  [[ $n == "${SHARD_LIST[0]}" ]] && cp "$OUT/merged.jsonl" "$OUT/clips.reference.jsonl"
  cmp -s "$OUT/merged.jsonl" "$OUT/clips.reference.jsonl" && ROW[$n,segment,same]=yes || ROW[$n,segment,same]=NO
  rm -f "${raw_files[@]}" "${clip_files[@]}"
}

IFS=, read -r -a SHARD_LIST <<<"$SHARDS"
LOAD="$(bench_loadavg)"
bench_machine_info "$CLIPSET"
printf 'lake:      %s files, %s hours, 8 kHz mono PCM16 (%s)\n' "$FILES" "$HOURS" "$LAKE"
printf 'load avg:  %s at start (1, 5, 15 min)\n' "$LOAD"
for n in "${SHARD_LIST[@]}"; do
  bench_log "N = $n"
  run_n "$n"
done
printf 'load avg:  %s at the end\n\n' "$(bench_loadavg)"

base="${SHARD_LIST[0]}"
verdict=PASS
printf '%-3s %-28s %-28s %-18s %s\n' N "ingest cpu-s/audio-h (max/mean)" "segment cpu-s/audio-h (max/mean)" "vs N=$base (total)" "merge s per 1M lines (cat)"
for n in "${SHARD_LIST[@]}"; do
  ing="$(bench_calc "${ROW[$n,ingest,cpu]} / $HOURS")"
  seg="$(bench_calc "${ROW[$n,segment,cpu]} / $HOURS")"
  total="$(bench_calc "(${ROW[$n,ingest,cpu]} + ${ROW[$n,segment,cpu]}) / $HOURS")"
  base_total="$(bench_calc "(${ROW[$base,ingest,cpu]} + ${ROW[$base,segment,cpu]}) / $HOURS")"
  rel="$(bench_ratio "$total" "$base_total")"
  printf '%-3s %-28s %-28s %-18s %s\n' "$n" "$ing (${ROW[$n,ingest,imbalance]})" "$seg (${ROW[$n,segment,imbalance]})" \
    "$rel ($total)" "${ROW[$n,merge]} (${ROW[$n,cat]}), ${ROW[$n,lines]} lines"
  bench_le "$rel" 1.10 || verdict=FAIL
  for step in ingest segment; do
    [[ $n == 1 ]] || bench_le "${ROW[$n,$step,imbalance]}" 1.25 || verdict=FAIL
    [[ ${ROW[$n,$step,same]} == yes ]] || { verdict=FAIL; printf 'N=%s: merged %s output differs from N=%s\n' "$n" "$step" "$base"; }
  done
done
printf '\nmerged outputs byte-identical to N=%s: ' "$base"
for n in "${SHARD_LIST[@]}"; do printf '%s:%s/%s ' "$n" "${ROW[$n,ingest,same]}" "${ROW[$n,segment,same]}"; done
printf '\ntargets (cpu per audio-hour within 10 %% of N=%s, largest shard <= 1.25 x mean): %s\n' "$base" "$verdict"
