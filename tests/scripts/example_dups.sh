#!/usr/bin/env bash
# Regression (issue 21): dups on the bundled example pairs no two different recordings. Its
# sirens are synthesised alike (a 600-1400 Hz sweep, the period drawn from 1.5 to 3.5 s), and
# Chromaprint's fingerprint paired siren/pixel7_001.wav with siren/zoomh5_001.flac (periods 1.60
# and 1.54 s) and siren/pixel7_002.wav with a siren inside long/park_walk.wav; the spectrogram
# check now refutes them. True copies added to the lake are still found: an MP3 128k copy of a
# siren, an AMR-NB copy of another, and a 5 s excerpt of the long recording cut across a siren.
# Usage: example_dups.sh CLIPSET GENERATOR WORK_DIR
set -euo pipefail
clipset=$1 generator=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
"$generator" "$work/lake" 2>/dev/null
mkdir -p "$work/lake/copies"
ffmpeg -nostdin -loglevel error -i "$work/lake/siren/pixel7_001.wav" -b:a 128k "$work/lake/copies/siren_mp3.mp3"
sox "$work/lake/siren/pixel7_002.wav" -r 8000 -c 1 -t amr-nb -C 7 "$work/lake/copies/siren_amr.amr"
ffmpeg -nostdin -loglevel error -i "$work/lake/long/park_walk.wav" -ss 25 -t 5 "$work/lake/copies/park_excerpt.wav"
"$clipset" ingest "$work/lake" --progress never -q -o "$work/raw.jsonl" 2>/dev/null
"$clipset" dups "$work/raw.jsonl" --no-cache --progress never -o "$work/pairs.jsonl" 2>"$work/stderr"
cat "$work/stderr"
jq -r 'select(.type == "pair") | "\(.a) \(.b) \(.method) \(.score) \(.check)"' "$work/pairs.jsonl"
found=$(jq -r 'select(.type == "pair") | "\(.a) \(.b)"' "$work/pairs.jsonl" | sort)
expected=$(sort <<'PAIRS'
copies__park_excerpt.wav long__park_walk.wav
copies__siren_amr.amr siren__pixel7_002.wav
copies__siren_mp3.mp3 siren__pixel7_001.wav
dog__pixel7_001.wav uploads__maria__copy_of_bark.wav
PAIRS
)
if [[ "$found" != "$expected" ]]; then
  echo "expected exactly these pairs (the copies and the byte-identical bark):" >&2
  echo "$expected" >&2
  echo "got:" >&2
  echo "$found" >&2
  exit 1
fi
echo "the 4 true pairs found, no other"
