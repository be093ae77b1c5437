#!/usr/bin/env bash
# Builds the libFuzzer harnesses (fuzz/) with clang-14 in build-fuzz and runs each for SECONDS
# (default 60), two at a time (the machine's cores shared sensibly). Prints per harness the
# executions, the coverage and whether it found anything; exits 1 on any crash, leak, timeout or
# out-of-memory, naming the reproducer. See docs/fuzzing.md.
#
#   scripts/fuzz.sh [SECONDS] [HARNESS...]
#   FUZZ_PARALLEL=1 scripts/fuzz.sh 600 fuzz_units      # one at a time
#
# The corpora grow in build-fuzz/corpus/<harness> from run to run; seeds come from fuzz/seeds,
# the tests' own files and audio made here with sox and ffmpeg.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$repo/build-fuzz"
seconds=${1:-60}
shift || true
parallel=${FUZZ_PARALLEL:-2}

if ! command -v clang++-14 >/dev/null 2>&1; then
  echo "fuzz: clang++-14 not found (scripts/install-deps.sh installs clang-14 and libfuzzer-14-dev)" >&2
  exit 3
fi

launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
CC=clang-14 CXX=clang++-14 cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" \
  -DCLIPSET_BUILD_FUZZERS=ON -DCLIPSET_BUILD_TESTS=OFF -DCLIPSET_BUILD_EXAMPLES=OFF -DCLIPSET_WERROR=ON >/dev/null
if [ $# -gt 0 ]; then
  harnesses=("$@")
else
  mapfile -t harnesses <"$build/fuzz/fuzzers.txt"
fi
# Only the harnesses and the library they link (not the clipset binary).
cmake --build "$build" -j "$(nproc)" --target "${harnesses[@]}" >/dev/null

# ------------------------------------------------------------------ seeds
seeds="$build/seeds"
rm -rf "$seeds"
for dir in "$repo"/fuzz/seeds/*/; do
  mkdir -p "$seeds/$(basename "$dir")"
  cp "$dir"* "$seeds/$(basename "$dir")/"
done
mkdir -p "$seeds/audacity" "$seeds/audio" "$seeds/taxonomy"
cp "$repo"/tests/data/audacity/*.txt "$seeds/audacity/"
# Short, quiet-but-not-silent recordings in every format clipset reads (each a few KB at most).
audio="$seeds/audio"
if command -v sox >/dev/null 2>&1; then
  for spec in wav:-e:signed:-b:16 wav:-e:floating-point:-b:32 wav:-e:u-law aiff:-b:24 au:-b:16 flac:-b:16 ogg:-C:0 caf:-b:16 w64:-b:8; do
    IFS=: read -r ext opts <<<"$spec"
    name=$(tr -c 'A-Za-z0-9' _ <<<"$spec")
    # shellcheck disable=SC2086
    sox -n -r 8000 -c 1 ${opts//:/ } "$audio/$name.$ext" synth 0.05 sine 440 2>/dev/null || true
  done
  sox -n -r 8000 -c 2 -b 16 "$audio/stereo.wav" synth 0.02 sine 300 sine 500 2>/dev/null || true
  sox -n -r 8000 -c 1 "$audio/amr_nb.amr-nb" synth 0.1 sine 440 2>/dev/null || true  # AMR-NB: ffmpeg has no encoder
fi
if command -v ffmpeg >/dev/null 2>&1; then
  for spec in m4a:aac m4a:alac webm:libopus ogg:libopus mp3:libmp3lame 3gp:aac adts:aac mka:flac; do
    IFS=: read -r ext codec <<<"$spec"
    out="$audio/ff_${codec}.$ext"
    format=()
    [ "$ext" = adts ] && format=(-f adts)
    ffmpeg -nostdin -loglevel error -f lavfi -i "sine=frequency=440:sample_rate=16000:duration=0.1" \
      -c:a "$codec" -b:a 16k "${format[@]}" -y "$out" 2>/dev/null || rm -f "$out"
  done
fi
find "$audio" -size +16k -delete

seed_dir() {
  case "$1" in
    fuzz_manifest) echo "$seeds/manifest" ;;
    fuzz_csv_sheet) echo "$seeds/csv_sheet" ;;
    fuzz_audacity) echo "$seeds/audacity" ;;
    fuzz_units) echo "$seeds/units" ;;
    fuzz_taxonomy) echo "$seeds/taxonomy" ;;
    fuzz_sound_file | fuzz_ffmpeg) echo "$seeds/audio" ;;
    *) echo "fuzz: unknown harness $1" >&2; exit 2 ;;
  esac
}
max_len() {
  case "$1" in
    fuzz_sound_file | fuzz_ffmpeg) echo 65536 ;;
    fuzz_units) echo 256 ;;
    *) echo 8192 ;;
  esac
}

# ------------------------------------------------------------------ runs
logs="$build/fuzz-logs"
mkdir -p "$logs"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$repo/fuzz/lsan.supp:print_suppressions=0

run_one() {
  local harness=$1
  local corpus="$build/corpus/$harness" findings="$build/findings/$harness"
  mkdir -p "$corpus" "$findings"
  set +e
  # The seeds directory is read but only the corpus is written to.
  "$build/fuzz/$harness" "$corpus" "$(seed_dir "$harness")" -max_total_time="$seconds" \
    -max_len="$(max_len "$harness")" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$findings/" ${FUZZ_SEED:+-seed="$FUZZ_SEED"} >"$logs/$harness.log" 2>&1
  echo $? >"$logs/$harness.rc"
  set -e
}

report() {
  local harness=$1 rc execs cov artifact
  rc=$(cat "$logs/$harness.rc")
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$harness.log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$logs/$harness.log" | tail -1)
  artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$logs/$harness.log" | tail -1)
  if [ "$rc" = 0 ]; then
    printf '%-16s %8ss  %12s execs  %-22s  nothing found\n' "$harness" "$seconds" "${execs:-?}" "${cov:-cov: ?}"
  else
    local what
    what=$(grep -m1 -oE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer): [a-z-]+|runtime error: .*|SUMMARY: .*' "$logs/$harness.log" || true)
    printf '%-16s %8ss  %12s execs  %-22s  FOUND: %s\n' "$harness" "$seconds" "${execs:-?}" "${cov:-cov: ?}" "${what:-exit $rc}"
    printf '%-16s reproducer: %s (run: %s %s)  log: %s\n' "" "${artifact:-none written}" \
      "$build/fuzz/$harness" "${artifact:-}" "$logs/$harness.log"
    return 1
  fi
}

echo "fuzz: ${#harnesses[@]} harnesses, ${seconds}s each, $parallel at a time" >&2
for ((i = 0; i < ${#harnesses[@]}; i += parallel)); do
  pids=()
  for harness in "${harnesses[@]:i:parallel}"; do
    seed_dir "$harness" >/dev/null
    run_one "$harness" &
    pids+=($!)
  done
  wait "${pids[@]}"
done

failed=0
for harness in "${harnesses[@]}"; do
  report "$harness" || failed=1
done
if [ "$failed" -ne 0 ]; then
  echo "fuzz: findings above; reproduce one with its harness and the reproducer path" >&2
  exit 1
fi
