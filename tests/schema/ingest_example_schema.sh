#!/usr/bin/env bash
# Runs ingest, segment and split on the bundled example lake and checks their output against the JSON Schema.
# Usage: ingest_example_schema.sh CLIPSET GENERATOR SOURCE_DIR WORK_DIR
set -euo pipefail
clipset=$1 generator=$2 source=$3 work=$4
rm -rf "$work" && mkdir -p "$work"
"$generator" "$work/lake" 2>/dev/null
"$clipset" ingest "$work/lake" --metadata "$work/lake/sheet.csv" --quality --progress never -q -o "$work/raw.jsonl"
/usr/bin/python3 "$source/tests/schema/check_manifest_schema.py" "$source/docs/manifest.schema.json" "$work/raw.jsonl" 20
# Clips, written and virtual, pass the same schema.
"$clipset" segment "$work/raw.jsonl" --rate 16k --mono --length 1s --hop 0.5s --out "$work/clips" -q -o "$work/clips.jsonl"
/usr/bin/python3 "$source/tests/schema/check_manifest_schema.py" "$source/docs/manifest.schema.json" "$work/clips.jsonl" 100
"$clipset" segment "$work/raw.jsonl" --length 2s --virtual --labels strong --background noise -q -o "$work/virtual.jsonl"
/usr/bin/python3 "$source/tests/schema/check_manifest_schema.py" "$source/docs/manifest.schema.json" "$work/virtual.jsonl" 50
# A split dataset (split and fold filled in) passes it too.
"$clipset" split "$work/clips.jsonl" --group-by meta.recorder,group --folds 3 -q -o "$work/dataset.jsonl"
/usr/bin/python3 "$source/tests/schema/check_manifest_schema.py" "$source/docs/manifest.schema.json" "$work/dataset.jsonl" 100
