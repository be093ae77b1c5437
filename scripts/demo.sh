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

"$repo/scripts/install-deps.sh"

echo "demo: building (Release) in $build" >&2
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCLIPSET_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null

clipset="$build/apps/clipset/clipset"
echo "demo: running the example pipeline (examples/Makefile)" >&2
make -C "$repo/examples" --no-print-directory \
  CLIPSET="$clipset" GENERATOR="$build/examples/make_example_datalake" OUT=out LAKE=datalake

count() { if [ -f "$1" ]; then grep -c '' "$1"; else echo 0; fi; }
cat >&2 <<SUMMARY

demo: done. clipset is at $clipset
  data lake      $lake
  manifest       $out/raw.jsonl ($(count "$out/raw.jsonl") recordings)
  rejected files $out/rejects.jsonl ($(count "$out/rejects.jsonl") files, each with its reason)
  clips          $out/clips/ and $out/clips.jsonl ($(count "$out/clips.jsonl") clips: 1 s, 16 kHz, mono)
  dataset        $out/dataset.jsonl (the clips split 80/10/10 by recorder)
  reports        $out/report.html (classes per split, durations, groups) and
                 $out/agreement.html (annotator agreement on the long recording): open in a browser
Try:
  $clipset help segment
  $clipset stats $out/dataset.jsonl --by meta.recorder,split
  head -n 1 $out/raw.jsonl
SUMMARY
