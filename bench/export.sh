#!/usr/bin/env bash
# Export benchmark: `clipset export` next to what a user would otherwise run for the same job.
# A report, not a test: exits 0 even when a target FAILs. See bench/README.md.
# shellcheck source-path=SCRIPTDIR disable=SC2317  # (SC2317: functions invoked indirectly)
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  cat <<EOF
Usage: bench/export.sh [OPTIONS]

Issue 19's targets, on RECORDINGS generated recordings (16 kHz mono PCM16, SECONDS each) cut by
clipset segment into 0.5 s clips (default 20 x 500 s = 20,000 clips) and split 80/10/10:
  1. written clips to webdataset (clipset export --to webdataset) against tar -cf of the same
     clip files: at most 1.2 times tar's time;
  2. written clips to hf with hard links: under 2 s;
  3. the same clips as virtual clips (segment --virtual) to webdataset against segment writing
     the clips plus tar -cf of them: faster.
Rounds are interleaved (each tool once per round), outputs removed untimed before each run, the
inputs' page cache warm; the median wall time of --runs rounds is reported, with CPU per run.

Options:
  --recordings N   Long recordings (default 20)
  --seconds S      Length of each, seconds (default 500: 1,000 clips of 0.5 s each)
  --clipset PATH   clipset binary (default: build/apps/clipset/clipset, built Release if missing)
  --work-dir DIR   Where the data lives and the outputs go (default /dev/shm/clipset-bench-export
                   when /dev/shm is a writable tmpfs, else /tmp/clipset-bench-export)
  --jobs J         Threads for clipset (default 2)
  --runs N         Timed rounds (default 3)
  --regenerate     Rebuild the data even if it is there
  -h, --help       This help
EOF
}

RECORDINGS=20
SECONDS_EACH=500
CLIPSET=""
WORK=""
JOBS=2
RUNS=3
REGENERATE=0
while (($#)); do
  case "$1" in
    --recordings) RECORDINGS="$2"; shift 2 ;;
    --seconds) SECONDS_EACH="$2"; shift 2 ;;
    --clipset) CLIPSET="$2"; shift 2 ;;
    --work-dir) WORK="$2"; shift 2 ;;
    --jobs) JOBS="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --regenerate) REGENERATE=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) bench_die "unknown option $1 (see --help)" ;;
  esac
done
bench_require_uint --recordings "$RECORDINGS"
bench_require_uint --seconds "$SECONDS_EACH"
bench_require_uint --jobs "$JOBS"
bench_require_uint --runs "$RUNS"
bench_require_tools sox tar
CLIPSET="$(bench_clipset_binary "$CLIPSET")"
if [[ -z "$WORK" ]]; then
  if [[ -w /dev/shm ]]; then WORK=/dev/shm/clipset-bench-export; else WORK=/tmp/clipset-bench-export; fi
fi
mkdir -p "$WORK"
cd "$WORK"

# --- data -------------------------------------------------------------------------------------

stamp="$RECORDINGS x $SECONDS_EACH s"
if ((REGENERATE)) || [[ "$(cat stamp 2>/dev/null)" != "$stamp" ]]; then
  bench_log "generating $stamp of 16 kHz mono audio in $WORK"
  rm -rf -- lake clips raw.jsonl clips.jsonl dataset.jsonl vclips.jsonl vdataset.jsonl stamp
  for ((r = 0; r < RECORDINGS; r++)); do
    mkdir -p "lake/class_$((r % 4))"
    sox -R -n -r 16000 -c 1 -b 16 "lake/class_$((r % 4))/rec_$r.wav" synth "$SECONDS_EACH" sine $((200 + 31 * r)) synth pinknoise mix gain -6
  done
  "$CLIPSET" ingest lake -o raw.jsonl --quiet
  "$CLIPSET" segment raw.jsonl --length 0.5s --out clips -o clips.jsonl --quiet --jobs "$JOBS"
  "$CLIPSET" split clips.jsonl -o dataset.jsonl --quiet
  "$CLIPSET" segment raw.jsonl --length 0.5s --virtual -o vclips.jsonl --quiet
  "$CLIPSET" split vclips.jsonl -o vdataset.jsonl --quiet
  printf '%s\n' "$stamp" >stamp
fi
CLIPS=$(wc -l <dataset.jsonl)
BYTES=$(du -sb clips | cut -f1)
find clips lake -type f -print0 >inputs.files0

# --- the tools ----------------------------------------------------------------------------------

run_wds() { "$CLIPSET" export dataset.jsonl --to webdataset --out out_wds --jobs "$JOBS" --quiet; }
run_tar() { tar -cf out_tar.tar clips; }
run_hf() { "$CLIPSET" export dataset.jsonl --to hf --out out_hf --jobs "$JOBS" --quiet; }
run_vwds() { "$CLIPSET" export vdataset.jsonl --to webdataset --out out_vwds --jobs "$JOBS" --quiet; }
run_segtar() {
  "$CLIPSET" segment raw.jsonl --length 0.5s --out out_seg -o out_seg.jsonl --jobs "$JOBS" --quiet
  tar -cf out_segtar.tar out_seg
}
FUNCS=(run_wds run_tar run_hf run_vwds run_segtar)
NAMES=("clipset export --to webdataset" "tar -cf of the clip files" "clipset export --to hf (hard links)"
  "clipset export --to webdataset (virtual clips)" "clipset segment + tar -cf")
clean() { rm -rf -- out_wds out_tar.tar out_hf out_vwds out_seg out_seg.jsonl out_segtar.tar; }

LOAD_START="$(bench_loadavg)"
bench_check_quiet || true
clean
bench_warm run_wds
bench_warm run_tar
BENCH_BEFORE_EACH=clean
bench_interleaved_rounds "$RUNS" inputs.files0
clean

# --- report -------------------------------------------------------------------------------------

bench_machine_info "$CLIPSET"
printf 'data:      %s recordings of %s s, %s clips of 0.5 s (%s MB of clip files), work dir %s\n' \
  "$RECORDINGS" "$SECONDS_EACH" "$CLIPS" "$(bench_calc "$BYTES / 1e6")" "$WORK"
bench_quietness run_tar "$RUNS" "$LOAD_START"
bench_files_table "$RUNS" "$CLIPS" "$BYTES" run_tar "tar"
ratio="$(bench_ratio "${MEDIAN[run_wds]}" "${MEDIAN[run_tar]}")"
bench_verdict "written clips to webdataset within 1.2x tar -cf" "$(bench_le "$ratio" 1.2 && echo 1 || echo 0)" "${ratio}x"
bench_verdict "hf with hard links under 2 s" "$(bench_lt "${MEDIAN[run_hf]}" 2 && echo 1 || echo 0)" "${MEDIAN[run_hf]} s"
ratio="$(bench_ratio "${MEDIAN[run_vwds]}" "${MEDIAN[run_segtar]}")"
bench_verdict "virtual clips to webdataset faster than segment + tar -cf" "$(bench_lt "$ratio" 1 && echo 1 || echo 0)" "${ratio}x"
