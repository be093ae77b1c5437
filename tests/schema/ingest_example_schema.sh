#!/usr/bin/env bash
# Runs ingest on the bundled example lake and checks its output against the JSON Schema.
# Usage: ingest_example_schema.sh CLIPSET GENERATOR SOURCE_DIR WORK_DIR
set -euo pipefail
clipset=$1 generator=$2 source=$3 work=$4
rm -rf "$work" && mkdir -p "$work"
"$generator" "$work/lake" 2>/dev/null
"$clipset" ingest "$work/lake" --metadata "$work/lake/sheet.csv" --quality --progress never -q -o "$work/raw.jsonl"
/usr/bin/python3 "$source/tests/schema/check_manifest_schema.py" "$source/docs/manifest.schema.json" "$work/raw.jsonl" 20
