#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a working clipset: installs dependencies,
# builds (Release), generates the bundled example data lake and runs the pipeline on it.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$repo/build"
# The Makefile runs in examples/ with relative paths, as a user's would: manifest paths then
# resolve against that folder.
out="$repo/examples/out"
lake="$repo/examples/datalake"

# Only what building and running need (no test or benchmark tools): --for build,run.
"$repo/scripts/install-deps.sh" --for build,run

echo "demo: building (Release) in $build" >&2
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCLIPSET_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null

clipset="$build/apps/clipset/clipset"
echo "demo: running the example pipeline (examples/Makefile)" >&2
make -C "$repo/examples" --no-print-directory \
  CLIPSET="$clipset" GENERATOR="$build/examples/make_example_datalake" OUT=out LAKE=datalake

# validate catching a deliberate fault: a copy of the example output with one clip altered after
# segmenting (one byte flipped, same size). The example itself stays untouched; the demo goes on.
echo "demo: altering one clip in a copy of the example output; validate --hash should catch it" >&2
fault=$(mktemp -d)
trap 'rm -rf -- "$fault"' EXIT
cp -R "$out" "$fault/out"
victim=$(head -n 1 "$fault/out/dataset.jsonl" | sed -n 's/^{"id":"[^"]*","path":"\([^"]*\)".*/\1/p')
last=$(($(stat -c %s "$fault/$victim") - 1))
old=$(od -An -tu1 -j "$last" -N1 "$fault/$victim" | tr -d ' ')
printf "\\$(printf '%03o' $(((old + 1) % 256)))" | dd of="$fault/$victim" bs=1 seek="$last" conv=notrunc status=none
set +e
(cd "$fault" && "$clipset" validate out/dataset.jsonl --hash)
status=$?
set -e
if [ "$status" -eq 1 ]; then
  echo "demo: validate caught the altered clip (exit 1, as a CI job would fail)" >&2
else
  echo "demo: WARNING: validate exited $status on the altered copy (expected 1)" >&2
fi

# The answer to "how much data do we need?", from the learning curve's JSON.
answer=$(jq -r '.target as $t | if $t == null then "no target asked"
  elif $t.total == null then "\($t.score * 100)% accuracy: beyond what the fitted curve reaches"
  else "\($t.score * 100)% accuracy needs about \($t.total) training clips" +
       (if $t.interval.low != null and $t.interval.high != null
        then " (95% interval \($t.interval.low) to \($t.interval.high))" else "" end) +
       "; the example has \(.train.items)" end' "$out/curve.json")

count() { if [ -f "$1" ]; then grep -c '' "$1"; else echo 0; fi; }
cat >&2 <<SUMMARY

demo: done. clipset is at $clipset
  data lake      $lake
  manifest       $out/raw.jsonl ($(count "$out/raw.jsonl") recordings)
  rejected files $out/rejects.jsonl ($(count "$out/rejects.jsonl") files, each with its reason)
  phone formats  dog/pixel7_003.m4a (AAC) and bird/pixel7_002.3gp (AMR-NB), read through FFmpeg,
                 their time, phone and GPS position in meta (docs/formats.md)
  clips          $out/clips/ and $out/clips.jsonl ($(count "$out/clips.jsonl") clips: 1 s, 16 kHz, mono)
  dataset        $out/dataset.jsonl (train/val/test, no recording on two sides; report in
                 $out/split-report.json), checked by clipset validate
  reports        $out/report.html (classes per split, durations, groups) and
                 $out/agreement.html (annotator agreement on the long recording): open in a browser
  learning curve $out/curve.svg and $out/curve.json: $answer
Try:
  $clipset help split
  cd $repo/examples && $clipset learning-curve out/dataset.jsonl --target 0.99 --annotations out/raw.jsonl --cache out/feature-cache
  $clipset stats $out/dataset.jsonl --by meta.recorder,split
  cd $repo/examples && $clipset validate out/dataset.jsonl --hash --decode --format junit
  head -n 1 $out/raw.jsonl
  grep pixel7_003.m4a $out/raw.jsonl
SUMMARY
