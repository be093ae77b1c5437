#!/usr/bin/env bash
# Segment benchmark: how fast is `clipset segment` next to the sox and ffmpeg scripts a user would
# otherwise write for the same job (16 kHz, mono, 1 s clips every 0.5 s, WAV PCM16), on many short
# files and on a few long ones, and how much memory does it take?
# A report, not a test: exits 0 even when a target FAILs. See bench/README.md.
# shellcheck source-path=SCRIPTDIR disable=SC2317  # (SC2317: functions invoked indirectly)
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  cat <<EOF
Usage: bench/segment.sh [OPTIONS]

Issue 4's job, "16 kHz, mono, 1 s clips with a 0.5 s hop (overlapping), WAV PCM16", on two
generated data sets (short: many 5 s 44.1 kHz stereo PCM16 WAV files in class folders; long: a
few 15-minute 48 kHz stereo files), done by:
  clipset segment --jobs J, clipset segment --jobs 1,
  sox per file (resample once, then two trim/newfile passes for the two clip phases), in a loop
  and with parallel -j J,
  ffmpeg per file (one process: one resample, asplit into two segment muxers), in a loop and
  with parallel -j J,
  and with --extras: a sox per-clip trim loop, ffmpeg as two passes (-ss 0.5), and sox at its
  default rate quality (each with parallel -j J).
Issue 10's job on the "one" set (a single 15-minute 48 kHz stereo file): "16 kHz, mono, 1 s
clips, no overlap, WAV PCM16", done by clipset --jobs J and --jobs 1, by
  ffmpeg -i f.wav -ar 16000 -ac 1 -f segment -segment_time 1 out%05d.wav
and by sox (mix down and resample once, then trim 0 1 : newfile : restart).
Reports audio-seconds per wall-second, CPU and peak RSS (GNU time) for each, with the median of
--runs interleaved rounds (warm page cache; output to a tmpfs, emptied before each run), and
checks the targets: clipset --jobs J beats the fastest baseline on the short and long sets, it
is at least 5x faster than the sox loop on the short set, it beats both ffmpeg and sox on the
one set, and its peak RSS stays under 100 MB.

Options:
  --short-files N    Files in the short set (default 400)
  --short-seconds S  Length of each short file, seconds (default 5)
  --long-files N     Files in the long set (default 3)
  --long-minutes M   Length of each long file, minutes (default 15); also the one set's file
  --sets LIST        Any of short, long, one, comma-separated (default short,long,one)
  --short-baselines B  all (default) or sox: on the short set, time only the sox rows
                     (ffmpeg costs ~0.15 s of CPU per file: 2,000 files take minutes per run)
  --clipset PATH     clipset binary (default: build/apps/clipset/clipset in the repo, built
                     Release if missing)
  --work-dir DIR     Where the data sets live; reused between runs (default /tmp/clipset-bench)
  --out-dir DIR      Where the clips are written (default /dev/shm when it is a writable tmpfs,
                     else the work dir); a private folder under it is removed at the end
  --jobs J           Threads for clipset and jobs for parallel (default 2)
  --runs N           Timed rounds; the median is reported (default 3)
  --sox-rate OPT     sox rate quality flag (default -l: 80 % bandwidth, like libsamplerate's
                     "fastest", clipset's default; sox's own default is -h)
  --extras           Also time the slower alternatives (see above)
  --regenerate       Rebuild the data sets even if they are already there
  -h, --help         This help
EOF
}

SHORT_FILES=400
SHORT_SECONDS=5
LONG_FILES=3
LONG_MINUTES=15
SETS="short,long,one"
SHORT_BASELINES=all
CLIPSET_ARG=""
WORK_DIR=/tmp/clipset-bench
OUT_BASE=""
JOBS=2
RUNS=3
SOX_RATE="-l"
EXTRAS=0
REGENERATE=0
CLASSES=10
TARGET_RSS_MB=100

while (($# > 0)); do
  case "$1" in
    --short-files) SHORT_FILES="${2:?--short-files needs a value}"; shift 2 ;;
    --short-seconds) SHORT_SECONDS="${2:?--short-seconds needs a value}"; shift 2 ;;
    --long-files) LONG_FILES="${2:?--long-files needs a value}"; shift 2 ;;
    --long-minutes) LONG_MINUTES="${2:?--long-minutes needs a value}"; shift 2 ;;
    --sets) SETS="${2:?--sets needs a value}"; shift 2 ;;
    --short-baselines) SHORT_BASELINES="${2:?--short-baselines needs a value}"; shift 2 ;;
    --clipset) CLIPSET_ARG="${2:?--clipset needs a value}"; shift 2 ;;
    --work-dir) WORK_DIR="${2:?--work-dir needs a value}"; shift 2 ;;
    --out-dir) OUT_BASE="${2:?--out-dir needs a value}"; shift 2 ;;
    --jobs) JOBS="${2:?--jobs needs a value}"; shift 2 ;;
    --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
    --sox-rate) SOX_RATE="${2:?--sox-rate needs a value}"; shift 2 ;;
    --extras) EXTRAS=1; shift ;;
    --regenerate) REGENERATE=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; bench_die "unknown option: $1" ;;
  esac
done

bench_require_uint --short-files "$SHORT_FILES"
bench_require_uint --short-seconds "$SHORT_SECONDS"
bench_require_uint --long-files "$LONG_FILES"
bench_require_uint --long-minutes "$LONG_MINUTES"
bench_require_uint --jobs "$JOBS"
bench_require_uint --runs "$RUNS"
[[ "$SOX_RATE" =~ ^-[qlmhv]$ ]] || bench_die "--sox-rate must be one of -q -l -m -h -v (got '$SOX_RATE')"
SET_NAMES=()
IFS=',' read -r -a _sets <<<"$SETS"
for s in "${_sets[@]}"; do
  [[ "$s" == short || "$s" == long || "$s" == one ]] || bench_die "--sets: unknown set '$s' (short, long, one)"
  SET_NAMES+=("$s")
done
((${#SET_NAMES[@]} > 0)) || bench_die "--sets is empty"
((CLASSES <= SHORT_FILES)) || CLASSES=$SHORT_FILES
[[ "$SHORT_BASELINES" == all || "$SHORT_BASELINES" == sox ]] || bench_die "--short-baselines must be all or sox"

bench_require_tools sox soxi ffmpeg parallel find xargs awk cmake df
bench_gnu_time >/dev/null  # exits 2, saying how to install it, when GNU time is missing
LOAD_START="$(bench_loadavg)"
bench_check_quiet || true
CLIPSET="$(bench_clipset_binary "$CLIPSET_ARG")"

# The job, fixed: the baselines below spell it out in samples.
OUT_RATE=16000
CLIP_FRAMES=16000  # 1 s at 16 kHz
HOP_FRAMES=8000    # 0.5 s at 16 kHz

# --- data sets ------------------------------------------------------------------------------

mkdir -p "$WORK_DIR"
WORK_DIR="$(cd "$WORK_DIR" && pwd)"
MARGIN=$((512 * 1024 * 1024))

declare -A SET_DIR SET_FILES SET_SECONDS SET_RATE SET_DESC
SET_DIR[short]="$WORK_DIR/segment-short-${SHORT_FILES}x${SHORT_SECONDS}s-44k1-stereo"
SET_FILES[short]=$SHORT_FILES
SET_SECONDS[short]=$SHORT_SECONDS
SET_RATE[short]=44100
SET_DESC[short]="$SHORT_FILES x ${SHORT_SECONDS} s, 44.1 kHz stereo PCM16 WAV in $CLASSES class folders"
SET_DIR[long]="$WORK_DIR/segment-long-${LONG_FILES}x${LONG_MINUTES}min-48k-stereo"
SET_FILES[long]=$LONG_FILES
SET_SECONDS[long]=$((LONG_MINUTES * 60))
SET_RATE[long]=48000
SET_DESC[long]="$LONG_FILES x ${LONG_MINUTES} min, 48 kHz stereo PCM16 WAV"
SET_DIR[one]="$WORK_DIR/segment-one-${LONG_MINUTES}min-48k-stereo"
SET_FILES[one]=1
SET_SECONDS[one]=$((LONG_MINUTES * 60))
SET_RATE[one]=48000
SET_DESC[one]="1 x ${LONG_MINUTES} min, 48 kHz stereo PCM16 WAV; 1 s clips, no overlap"

# gen_file DIR INDEX CLASSES SECONDS RATE: one recording, its own two tones plus pink noise.
# Short sets go into class folders (clips inherit the folder label), long ones flat.
gen_file() {
  local dir="$1" i="$2" classes="$3" seconds="$4" rate="$5" sub f1 f2
  if ((classes > 1)); then sub="$(printf '%s/class_%02d' "$dir" $((i % classes)))"; else sub="$dir"; fi
  mkdir -p "$sub"
  f1=$((110 + 37 * (i % classes) + 3 * (i / classes)))
  f2=$((f1 * 3 / 2 + 7))
  sox -R -n -r "$rate" -c 2 -b 16 -e signed-integer "$(printf '%s/rec_%05d.wav' "$sub" "$i")" \
    synth "$seconds" sine "$f1" sine "$f2" synth pinknoise mix gain -6
}
export -f gen_file

generate_set() {
  local set="$1" dir="${SET_DIR[$1]}" files="${SET_FILES[$1]}" seconds="${SET_SECONDS[$1]}" rate="${SET_RATE[$1]}"
  local classes=1 bytes need free start
  [[ "$set" == short ]] && classes=$CLASSES
  bytes=$((files * (44 + seconds * rate * 4)))
  need=$((bytes + MARGIN))
  free="$(bench_free_bytes "$WORK_DIR")"
  [[ -d "$dir" ]] && free=$((free + $(du -sb "$dir" | cut -f1)))
  ((free >= need)) || bench_die "not enough space in $WORK_DIR for the $set set: need $((need >> 20)) MiB, have $((free >> 20)) MiB (use --work-dir or fewer files)"
  bench_log "generating the $set set: ${SET_DESC[$set]} ($((bytes >> 20)) MiB) in $dir"
  # Only ever remove our own data set folder (the name is ours, under the work dir).
  [[ "$dir" == "$WORK_DIR"/segment-* ]] || bench_die "refusing to remove unexpected path $dir"
  rm -rf -- "$dir" "$dir.complete" "$dir.raw.jsonl" "$dir.list0"
  mkdir -p "$dir"
  start=$EPOCHREALTIME
  seq 0 $((files - 1)) |
    PARALLEL_SHELL=bash parallel --will-cite -j "$(nproc)" --halt now,fail=1 gen_file "$dir" {} "$classes" "$seconds" "$rate"
  local count first
  count="$(find "$dir" -type f -name '*.wav' | wc -l)"
  ((count == files)) || bench_die "generated $count files, expected $files"
  first="$(find "$dir" -type f -name '*.wav' -print -quit)"
  [[ "$(soxi -s "$first")" == "$((seconds * rate))" ]] || bench_die "unexpected sample count in $first: $(soxi -s "$first")"
  printf 'files=%s seconds=%s rate=%s generated=%s\n' "$files" "$seconds" "$rate" "$(date -u +%FT%TZ)" >"$dir.complete"
  bench_log "generated in $(bench_calc "$EPOCHREALTIME - $start") s"
}

declare -A SET_MANIFEST SET_LIST0 SET_AUDIO_S SET_BYTES SET_EXPECTED CLIPSET_EXPECTED SET_INGEST_S
for set in "${SET_NAMES[@]}"; do
  dir="${SET_DIR[$set]}"
  if [[ "$REGENERATE" == 1 || ! -f "$dir.complete" ]]; then
    generate_set "$set"
  else
    bench_log "reusing the $set set $dir (pass --regenerate to rebuild)"
  fi
  count="$(find "$dir" -type f -name '*.wav' | wc -l)"
  ((count == SET_FILES[$set])) || bench_die "$dir holds $count files, expected ${SET_FILES[$set]} (pass --regenerate)"
  SET_LIST0[$set]="$dir.list0"
  find "$dir" -type f -name '*.wav' -print0 | sort -z >"${SET_LIST0[$set]}"
  SET_BYTES[$set]="$(xargs -0 stat -c %s <"${SET_LIST0[$set]}" | awk '{ s += $1 } END { printf "%d", s }')"
  SET_AUDIO_S[$set]=$((count * SET_SECONDS[$set]))
  # The baselines cut a clip at each 0.5 s step that starts inside the recording: ceil(T / 0.5),
  # the last one 0.5 s long (the one set: each 1 s step, T clips). clipset cuts full clips while
  # they fit, floor((T - 1) / 0.5) + 1, and a tail clip only for audio left over: none here.
  SET_EXPECTED[$set]=$((count * SET_SECONDS[$set] * 2))
  CLIPSET_EXPECTED[$set]=$((SET_EXPECTED[$set] - count))
  if [[ "$set" == one ]]; then
    SET_EXPECTED[$set]=$((count * SET_SECONDS[$set]))
    CLIPSET_EXPECTED[$set]=${SET_EXPECTED[$set]}
  fi
  # clipset reads a manifest: made once by ingest (timed here for the record, not in the job).
  SET_MANIFEST[$set]="$dir.raw.jsonl"
  start=$EPOCHREALTIME
  "$CLIPSET" ingest "$dir" -o "${SET_MANIFEST[$set]}" --progress never -q
  SET_INGEST_S[$set]="$(bench_calc "$EPOCHREALTIME - $start")"
  lines="$(wc -l <"${SET_MANIFEST[$set]}")"
  ((lines == count)) || bench_die "clipset ingest listed $lines of $count files in $dir"
done

# --- output ---------------------------------------------------------------------------------

if [[ -z "$OUT_BASE" ]]; then
  OUT_BASE="$WORK_DIR"
  if [[ -d /dev/shm && -w /dev/shm && "$(stat -f -c %T /dev/shm 2>/dev/null)" == tmpfs ]]; then OUT_BASE=/dev/shm; fi
fi
mkdir -p "$OUT_BASE"
OUT_ROOT="$(mktemp -d "$OUT_BASE/clipset-segbench.XXXXXX")"
OUT_FS="$(stat -f -c %T "$OUT_ROOT")"
trap 'rm -rf -- "$OUT_ROOT"' EXIT
OUT="$OUT_ROOT/clips"                 # every tool writes its clips here
OUT_MANIFEST="$OUT_ROOT/clips.jsonl"  # clipset's clip records
need=0
for set in "${SET_NAMES[@]}"; do
  n=$((SET_EXPECTED[$set] * (44 + CLIP_FRAMES * 2) + SET_AUDIO_S[$set] * OUT_RATE * 2))
  ((n > need)) && need=$n
done
free="$(bench_free_bytes "$OUT_ROOT")"
((free > need + (64 << 20))) || bench_die "not enough space in $OUT_BASE for the clips: need $((need >> 20)) MiB, have $((free >> 20)) MiB (use --out-dir)"

clean_output() {
  [[ "$OUT_ROOT" == "$OUT_BASE"/clipset-segbench.* ]] || bench_die "refusing to clean unexpected path $OUT_ROOT"
  rm -rf -- "$OUT" "$OUT_MANIFEST"
  mkdir -p "$OUT"
}

# --- the timed commands ---------------------------------------------------------------------
# Each reads every recording of the current set (CUR_LIST0, CUR_MANIFEST) and writes its clips
# into $OUT. They run in a child bash under GNU time, so they and what they use are exported.

# clipset: the command of the issue. -o goes to a file (atomic, fsynced at the end: on a tmpfs
# that costs nothing) rather than stdout, as a user would run it.
run_clipset_j() {
  "$CLIPSET" segment "$CUR_MANIFEST" --rate 16k --mono --length 1s --hop 0.5s --out "$OUT" -o "$OUT_MANIFEST" \
    --jobs "$JOBS" --progress never -q
}
run_clipset_1() {
  "$CLIPSET" segment "$CUR_MANIFEST" --rate 16k --mono --length 1s --hop 0.5s --out "$OUT" -o "$OUT_MANIFEST" \
    --jobs 1 --progress never -q
}
# Issue 10's job: 1 s clips, no overlap.
run_clipset_nohop_j() {
  "$CLIPSET" segment "$CUR_MANIFEST" --rate 16k --mono --length 1s --out "$OUT" -o "$OUT_MANIFEST" \
    --jobs "$JOBS" --progress never -q
}
run_clipset_nohop_1() {
  "$CLIPSET" segment "$CUR_MANIFEST" --rate 16k --mono --length 1s --out "$OUT" -o "$OUT_MANIFEST" \
    --jobs 1 --progress never -q
}

# each_file FN: FN IN $OUT/<IN's name without .wav> for every recording of the set, in turn.
each_file() {
  local f n
  while IFS= read -r -d '' f; do
    n="${f##*/}"
    "$1" "$f" "$OUT/${n%.wav}"
  done <"$CUR_LIST0"
}

# sox, per file IN -> PREFIX_a###.wav (clips at 0, 1, 2 s...) and PREFIX_b###.wav (0.5, 1.5 s...).
# `trim 0 1 : newfile : restart` cannot overlap, and a `restart` re-runs the whole effects chain
# (so an offset trim in it would skip 0.5 s before every clip, and a `rate` in it loses its
# filter delay at every restart: 879 instead of 900 clips from 15 minutes). So: mix down and
# resample once into a temp file, then cut it twice, sample-exact; the second pass is fed from a
# first sox that drops the first 0.5 s. -D: no dither (clipset rounds); -V1: no warnings.
sox_one() {
  local in="$1" pre="$2"
  sox -V1 -D "$in" "$pre.16k.wav" channels 1 rate "$SOX_RATE" 16k
  sox -V1 "$pre.16k.wav" "${pre}_a.wav" trim 0 "${CLIP_FRAMES}s" : newfile : restart
  sox -V1 "$pre.16k.wav" -t wav - trim "${HOP_FRAMES}s" | sox -V1 -t wav - "${pre}_b.wav" trim 0 "${CLIP_FRAMES}s" : newfile : restart
  rm -f "$pre.16k.wav"
}
run_sox_loop() { each_file sox_one; }
run_sox_parallel() { parallel --will-cite -0 -j "$JOBS" sox_one {} "$OUT/{/.}" <"$CUR_LIST0"; }
# Issue 10's sox route, no overlap: resample once (a rate inside the restarted chain would lose
# its filter delay at every restart), then trim ... newfile : restart.
sox_nohop_one() {
  local in="$1" pre="$2"
  sox -V1 -D "$in" "$pre.16k.wav" channels 1 rate "$SOX_RATE" 16k
  sox -V1 "$pre.16k.wav" "${pre}_a.wav" trim 0 "${CLIP_FRAMES}s" : newfile : restart
  rm -f "$pre.16k.wav"
}
run_sox_nohop_loop() { each_file sox_nohop_one; }

# ffmpeg, per file: one process decodes and resamples once, splits the stream in two and feeds
# two segment muxers, the second 0.5 s (8000 samples) late. asetnsamples makes 0.5 s packets so
# that the muxer cuts at exactly 1 s (without it the clips are 16026-16043 samples: it cuts at
# packet boundaries).
FFMPEG_GRAPH="[0:a]aresample=$OUT_RATE,aformat=channel_layouts=mono,asetnsamples=n=$HOP_FRAMES:p=0,asplit[a][h];[h]atrim=start_sample=$HOP_FRAMES,asetpts=PTS-STARTPTS[b]"
ffmpeg_one() {
  ffmpeg -hide_banner -loglevel error -nostdin -y -i "$1" -filter_complex "$FFMPEG_GRAPH" \
    -map '[a]' -f segment -segment_time 1 "${2}_a%05d.wav" -map '[b]' -f segment -segment_time 1 "${2}_b%05d.wav"
}
run_ffmpeg_loop() { each_file ffmpeg_one; }
run_ffmpeg_parallel() { parallel --will-cite -0 -j "$JOBS" ffmpeg_one {} "$OUT/{/.}" <"$CUR_LIST0"; }
# Issue 10's ffmpeg command, as the issue gives it (its clips are cut at packet boundaries, so
# they are not all exactly 16,000 frames; the count is right).
ffmpeg_issue10_one() {
  ffmpeg -hide_banner -loglevel error -nostdin -y -i "$1" -ar "$OUT_RATE" -ac 1 -f segment -segment_time 1 "${2}_%05d.wav"
}
run_ffmpeg_issue10_loop() { each_file ffmpeg_issue10_one; }

# --- extras (--extras): the other ways a user might script it -------------------------------
# sox, one process per clip (seeks, mixes, resamples 1 s of input each; clip edges see the
# resampler's start-up, not the neighbouring audio).
sox_clips_one() {
  local in="$1" pre="$2" rate frames k start len hop
  rate="$(soxi -r "$in")"
  frames="$(soxi -s "$in")"
  len=$rate
  hop=$((rate / 2))
  for ((k = 0, start = 0; start < frames; k++, start += hop)); do
    sox -V1 -D "$in" "$(printf '%s_%05d.wav' "$pre" "$k")" trim "${start}s" "${len}s" channels 1 rate "$SOX_RATE" 16k
  done
}
run_sox_clips_parallel() { parallel --will-cite -0 -j "$JOBS" sox_clips_one {} "$OUT/{/.}" <"$CUR_LIST0"; }
# ffmpeg as two passes, the second seeking 0.5 s into the input (as the issue sketches it).
FFMPEG_CHAIN="aresample=$OUT_RATE,aformat=channel_layouts=mono,asetnsamples=n=$HOP_FRAMES:p=0"
ffmpeg_2pass_one() {
  ffmpeg -hide_banner -loglevel error -nostdin -y -i "$1" -af "$FFMPEG_CHAIN" -f segment -segment_time 1 "${2}_a%05d.wav"
  ffmpeg -hide_banner -loglevel error -nostdin -y -ss 0.5 -i "$1" -af "$FFMPEG_CHAIN" -f segment -segment_time 1 "${2}_b%05d.wav"
}
run_ffmpeg_2pass_parallel() { parallel --will-cite -0 -j "$JOBS" ffmpeg_2pass_one {} "$OUT/{/.}" <"$CUR_LIST0"; }
# sox with its default (high quality) rate, like a script that just says `rate 16k`.
sox_default_one() { SOX_RATE=-h sox_one "$@"; }
run_sox_default_parallel() { parallel --will-cite -0 -j "$JOBS" sox_default_one {} "$OUT/{/.}" <"$CUR_LIST0"; }

export CLIPSET OUT OUT_MANIFEST JOBS SOX_RATE CLIP_FRAMES HOP_FRAMES FFMPEG_GRAPH FFMPEG_CHAIN OUT_RATE
export PARALLEL_SHELL=bash
export -f each_file run_clipset_j run_clipset_1 sox_one run_sox_loop run_sox_parallel ffmpeg_one run_ffmpeg_loop \
  run_ffmpeg_parallel sox_clips_one run_sox_clips_parallel ffmpeg_2pass_one run_ffmpeg_2pass_parallel \
  sox_default_one run_sox_default_parallel run_clipset_nohop_j run_clipset_nohop_1 sox_nohop_one \
  run_sox_nohop_loop ffmpeg_issue10_one run_ffmpeg_issue10_loop

# The rows of each set: function -> name.
declare -A NAME_OF=(
  [run_clipset_j]="clipset --jobs $JOBS" [run_clipset_1]="clipset --jobs 1"
  [run_sox_loop]="sox loop" [run_sox_parallel]="sox, parallel -j $JOBS"
  [run_ffmpeg_loop]="ffmpeg loop" [run_ffmpeg_parallel]="ffmpeg, parallel -j $JOBS"
  [run_sox_clips_parallel]="sox per-clip loop, parallel -j $JOBS"
  [run_ffmpeg_2pass_parallel]="ffmpeg 2 passes (-ss 0.5), parallel -j $JOBS"
  [run_sox_default_parallel]="sox rate -h (default), parallel -j $JOBS"
  [run_clipset_nohop_j]="clipset --jobs $JOBS" [run_clipset_nohop_1]="clipset --jobs 1"
  [run_sox_nohop_loop]="sox trim/newfile/restart" [run_ffmpeg_issue10_loop]="ffmpeg -f segment (issue 10)"
)
declare -A SET_FUNCS
SET_FUNCS[long]="run_clipset_j run_clipset_1 run_sox_loop run_sox_parallel run_ffmpeg_loop run_ffmpeg_parallel"
((EXTRAS)) && SET_FUNCS[long]+=" run_sox_clips_parallel run_ffmpeg_2pass_parallel run_sox_default_parallel"
SET_FUNCS[short]="${SET_FUNCS[long]}"
if [[ "$SHORT_BASELINES" == sox ]]; then
  SET_FUNCS[short]="run_clipset_j run_clipset_1 run_sox_loop run_sox_parallel"
  ((EXTRAS)) && SET_FUNCS[short]+=" run_sox_clips_parallel run_sox_default_parallel"
fi
SET_FUNCS[one]="run_clipset_nohop_j run_clipset_nohop_1 run_sox_nohop_loop run_ffmpeg_issue10_loop"
is_baseline() { [[ "$1" != run_clipset_* ]]; }

count_clips() { find "$OUT" -type f -name '*.wav' | wc -l; }

# Warm-up and sanity checks on one recording of each set: binaries and libraries loaded, and
# every tool cuts the same number of 1 s / 16 kHz / mono clips.
bench_log "warm-up and sanity checks (one recording of each set)"
one_dir="$OUT_ROOT/one"
mkdir -p "$one_dir"
for set in "${SET_NAMES[@]}"; do
  head -n 1 "${SET_MANIFEST[$set]}" >"$one_dir/raw.jsonl"
  head -z -n 1 "${SET_LIST0[$set]}" >"$one_dir/list0"
  want_base=$((SET_EXPECTED[$set] / SET_FILES[$set]))
  want_ours=$((CLIPSET_EXPECTED[$set] / SET_FILES[$set]))
  for fn in ${SET_FUNCS[$set]}; do  # (word splitting on purpose)
    clean_output
    export CUR_MANIFEST="$one_dir/raw.jsonl" CUR_LIST0="$one_dir/list0"
    bench_time_rss "$fn" >/dev/null
    got="$(count_clips)"
    want=$want_base
    is_baseline "$fn" || want=$want_ours
    ((got == want)) || bench_warn "$set: ${NAME_OF[$fn]} cut $got clips from one recording, expected $want"
    first="$(find "$OUT" -type f -name '*.wav' | sort | awk 'NR == 1')"  # (head: SIGPIPE)
    info="$(soxi -r "$first") $(soxi -c "$first") $(soxi -s "$first") $(soxi -b "$first")"
    # (ffmpeg's segment muxer cuts at packet boundaries: issue 10's command gives ~1 s clips)
    [[ "$info" == "16000 1 $CLIP_FRAMES 16" || "$fn" == run_ffmpeg_issue10_loop ]] ||
      bench_warn "$set: ${NAME_OF[$fn]}: first clip $first is rate/channels/frames/bits '$info', expected '16000 1 $CLIP_FRAMES 16'"
  done
done

# --- timed rounds ---------------------------------------------------------------------------

declare -A WALLS USERS SYSS RSS CLIPS MEDIAN
for set in "${SET_NAMES[@]}"; do
  for fn in ${SET_FUNCS[$set]}; do WALLS[$set:$fn]=""; USERS[$set:$fn]=0; SYSS[$set:$fn]=0; RSS[$set:$fn]=0; done
done
# Rounds interleave the tools, so slow drift (thermal, neighbours) spreads over all of them.
for ((round = 1; round <= RUNS; round++)); do
  for set in "${SET_NAMES[@]}"; do
    export CUR_MANIFEST="${SET_MANIFEST[$set]}" CUR_LIST0="${SET_LIST0[$set]}"
    for fn in ${SET_FUNCS[$set]}; do
      clean_output                          # untimed: empty output folder
      bench_cache_files "$CUR_LIST0"        # untimed: keeps the page cache warm
      bench_time_rss "$fn" >/dev/null
      read -r wall user sys rss <<<"$BENCH_LAST_RUN"
      WALLS[$set:$fn]+="$wall "
      USERS[$set:$fn]="$(bench_calc "${USERS[$set:$fn]} + $user")"
      SYSS[$set:$fn]="$(bench_calc "${SYSS[$set:$fn]} + $sys")"
      if ((rss > ${RSS[$set:$fn]})); then RSS[$set:$fn]=$rss; fi
      CLIPS[$set:$fn]="$(count_clips)"
      want=${SET_EXPECTED[$set]}
      is_baseline "$fn" || want=${CLIPSET_EXPECTED[$set]}
      ((${CLIPS[$set:$fn]} == want)) || bench_warn "$set: ${NAME_OF[$fn]} cut ${CLIPS[$set:$fn]} clips, expected $want"
      bench_log "round $round/$RUNS  $set  ${NAME_OF[$fn]}: ${wall} s (user $user, sys $sys, peak RSS $(bench_mb "$rss") MB)"
    done
  done
done
clean_output
LOAD_END="$(bench_loadavg)"

for set in "${SET_NAMES[@]}"; do
  for fn in ${SET_FUNCS[$set]}; do
    # shellcheck disable=SC2086  # word-splitting the list of times is the point
    MEDIAN[$set:$fn]="$(bench_median_of ${WALLS[$set:$fn]})"
  done
done

# --- report ---------------------------------------------------------------------------------

speed() { awk -v a="$1" -v t="$2" 'BEGIN { printf "%.1f\n", a / t }'; }

echo "== clipset segment benchmark =="
bench_machine_info "$CLIPSET"
printf 'sox:       %s\n' "$(sox --version 2>&1 | head -n 1 | sed 's/^sox: *//')"
printf 'ffmpeg:    %s\n' "$(ffmpeg -hide_banner -version 2>&1 | head -n 1)"
printf 'parallel:  %s\n' "$(parallel --will-cite --version 2>&1 | head -n 1)"
printf 'job:       16 kHz, mono (average), 1 s clips every 0.5 s (overlapping), WAV PCM16\n'
for set in "${SET_NAMES[@]}"; do
  printf 'set %-5s  %s: %d audio-s, %.1f MB (%s)\n' "$set" "${SET_DESC[$set]}" "${SET_AUDIO_S[$set]}" \
    "$(bench_calc "${SET_BYTES[$set]} / 1e6")" "${SET_DIR[$set]}"
  printf '           clipset ingest for its manifest, not counted below: %s s\n' "${SET_INGEST_S[$set]}"
done
printf 'output:    %s (%s), emptied before each run\n' "$OUT_ROOT" "$OUT_FS"
printf 'method:    warm page cache (inputs re-read before each run), median wall time of %d\n' "$RUNS"
printf '           interleaved rounds; cpu = user+sys per run; peak RSS = largest over the runs of\n'
printf '           GNU time %%M (for parallel/pipelines: the largest single process, not the sum)\n'
printf 'load avg:  %s at start, %s at the end (1, 5, 15 min)\n' "$LOAD_START" "$LOAD_END"
quiet_ok=1
for set in "${SET_NAMES[@]}"; do
  one_fn=run_clipset_1
  [[ "$set" == one ]] && one_fn=run_clipset_nohop_1
  cpu1="$(bench_calc "(${USERS[$set:$one_fn]} + ${SYSS[$set:$one_fn]}) / $RUNS")"
  stretch="$(bench_ratio "${MEDIAN[$set:$one_fn]}" "$cpu1")"
  printf 'quietness: %s set: single-threaded clipset wall/cpu = %s (about 1.00 when nothing else competes)\n' "$set" "$stretch"
  bench_le "$stretch" 1.10 || quiet_ok=0
done
if ((quiet_ok == 0)); then
  printf 'WARNING:   other processes took CPU during the run: wall times are inflated and parallel\n'
  printf '           speed-ups understated; the cpu column is the steadier measure. Re-run when quiet.\n'
fi
echo

declare -A BEST_FN
for set in "${SET_NAMES[@]}"; do
  best=""
  for fn in ${SET_FUNCS[$set]}; do
    is_baseline "$fn" || continue
    if [[ -z "$best" ]] || bench_lt "${MEDIAN[$set:$fn]}" "${MEDIAN[$set:$best]}"; then best=$fn; fi
  done
  BEST_FN[$set]=$best
  a="${SET_AUDIO_S[$set]}"
  base_speed="$(speed "$a" "${MEDIAN[$set:$best]}")"
  bench_table_start "set $set (${SET_DESC[$set]}, ${a} audio-s, ${SET_EXPECTED[$set]} clips expected, clipset ${CLIPSET_EXPECTED[$set]})" \
    "tool" "wall s" "audio-s/s" "vs fastest baseline" "cpu s/run" "audio-s/cpu-s" "peak RSS MB" "clips"
  for fn in ${SET_FUNCS[$set]}; do  # (word splitting on purpose)
    t="${MEDIAN[$set:$fn]}"
    [[ "$fn" == run_sox_clips_parallel ]] && bench_table_rule  # extras below the line
    mark=""
    [[ "$fn" == "$best" ]] && mark=" *"
    cpu="$(bench_calc "(${USERS[$set:$fn]} + ${SYSS[$set:$fn]}) / $RUNS")"
    bench_table_row "${NAME_OF[$fn]}$mark" "$t" "$(speed "$a" "$t")" "$(bench_ratio "$(speed "$a" "$t")" "$base_speed")x" \
      "$cpu" "$(speed "$a" "$cpu")" "$(bench_mb "${RSS[$set:$fn]}")" "${CLIPS[$set:$fn]}"
  done
  bench_table_end
  echo "(* fastest baseline by wall time; \"vs fastest baseline\" = audio-s/s over that baseline's: above 1"
  echo " is faster. audio-s/cpu-s = audio seconds per CPU second (user+sys, children included): the"
  echo " measure that survives a busy machine; with parallel it includes parallel's own overhead)"
  echo
done

echo "commands (IN = a recording, P = \$OUT/<its name>; each baseline runs once per recording, in a"
echo "bash loop or under parallel --will-cite -0 -j $JOBS <fn> {} \$OUT/{/.}):"
echo "  clipset:  $(basename "$CLIPSET") segment RAW.jsonl --rate 16k --mono --length 1s --hop 0.5s --out \$OUT -o clips.jsonl --jobs J"
echo "            (one set: without --hop 0.5s)"
echo "  sox:      sox -V1 -D IN P.16k.wav channels 1 rate $SOX_RATE 16k"
echo "            sox -V1 P.16k.wav P_a.wav trim 0 ${CLIP_FRAMES}s : newfile : restart"
echo "            sox -V1 P.16k.wav -t wav - trim ${HOP_FRAMES}s | sox -V1 -t wav - P_b.wav trim 0 ${CLIP_FRAMES}s : newfile : restart"
echo "            rm P.16k.wav"
echo "  ffmpeg:   ffmpeg -hide_banner -loglevel error -nostdin -y -i IN -filter_complex \\"
echo "              '$FFMPEG_GRAPH' \\"
echo "              -map '[a]' -f segment -segment_time 1 P_a%05d.wav -map '[b]' -f segment -segment_time 1 P_b%05d.wav"
echo "  one set:  sox -V1 -D IN P.16k.wav channels 1 rate $SOX_RATE 16k; sox -V1 P.16k.wav P_a.wav trim 0 ${CLIP_FRAMES}s : newfile : restart"
echo "            ffmpeg -hide_banner -loglevel error -nostdin -y -i IN -ar $OUT_RATE -ac 1 -f segment -segment_time 1 P_%05d.wav"
if ((EXTRAS)); then
  echo "  sox per-clip:   for each k with s = k * rate/2 < frames: sox -V1 -D IN P_k.wav trim \${s}s \${rate}s channels 1 rate $SOX_RATE 16k"
  echo "  ffmpeg 2-pass:  ffmpeg ... -i IN -af '$FFMPEG_CHAIN' -f segment -segment_time 1 P_a%05d.wav"
  echo "                  ffmpeg ... -ss 0.5 -i IN -af (same) -f segment -segment_time 1 P_b%05d.wav"
  echo "  sox rate -h:    the sox commands with rate -h (sox's default quality)"
fi
echo

# --- targets --------------------------------------------------------------------------------

# The row of clipset --jobs J in a set.
ours_fn() { if [[ "$1" == one ]]; then echo run_clipset_nohop_j; else echo run_clipset_j; fi; }
for set in "${SET_NAMES[@]}"; do
  ours="${MEDIAN[$set:$(ours_fn "$set")]}"
  if [[ "$set" == one ]]; then
    # Issue 10: faster than each of the two routes.
    for fn in run_ffmpeg_issue10_loop run_sox_nohop_loop; do
      theirs="${MEDIAN[$set:$fn]}"
      ok=0
      bench_lt "$ours" "$theirs" && ok=1
      bench_verdict "clipset --jobs $JOBS beats ${NAME_OF[$fn]} on the one set" "$ok" \
        "$(speed "${SET_AUDIO_S[$set]}" "$ours") vs $(speed "${SET_AUDIO_S[$set]}" "$theirs") audio-s/s; $(bench_ratio "$theirs" "$ours")x"
    done
    continue
  fi
  best="${BEST_FN[$set]}"
  theirs="${MEDIAN[$set:$best]}"
  ok=0
  bench_lt "$ours" "$theirs" && ok=1
  bench_verdict "clipset --jobs $JOBS beats the fastest baseline on the $set set" "$ok" \
    "$(speed "${SET_AUDIO_S[$set]}" "$ours") vs $(speed "${SET_AUDIO_S[$set]}" "$theirs") audio-s/s (${NAME_OF[$best]}); $(bench_ratio "$theirs" "$ours")x"
  if [[ "$set" == short ]]; then
    # Issue 10: at least 5x the sox loop.
    theirs="${MEDIAN[$set:run_sox_loop]}"
    ok=0
    bench_le 5 "$(bench_ratio "$theirs" "$ours")" && ok=1
    bench_verdict "clipset --jobs $JOBS is at least 5x faster than the sox loop on the short set" "$ok" \
      "$(bench_ratio "$theirs" "$ours")x ($ours s vs $theirs s)"
  fi
done
peak=0
for set in "${SET_NAMES[@]}"; do
  fn="$(ours_fn "$set")"
  if ((${RSS[$set:$fn]} > peak)); then peak=${RSS[$set:$fn]}; fi
done
ok=0
bench_lt "$(bench_mb "$peak")" "$TARGET_RSS_MB" && ok=1
bench_verdict "clipset --jobs $JOBS peak RSS < $TARGET_RSS_MB MB" "$ok" "$(bench_mb "$peak") MB at most over the sets"
exit 0
