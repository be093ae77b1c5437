#!/usr/bin/python3
"""Validates every line of a manifest against docs/manifest.schema.json (JSON Schema 2020-12).

Usage: check_manifest_schema.py SCHEMA MANIFEST [MIN_ITEMS]
Exit 0 when every record is valid and there are at least MIN_ITEMS of them; 1 otherwise,
with one line per problem: manifest:line: message.
"""
import json
import sys

import jsonschema


def main() -> int:
    schema_path, manifest_path = sys.argv[1], sys.argv[2]
    min_items = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    problems = 0
    count = 0
    with open(manifest_path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            count += 1
            record = json.loads(line)
            for error in validator.iter_errors(record):
                problems += 1
                where = "/".join(str(p) for p in error.absolute_path) or "(record)"
                print(f"{manifest_path}:{number}: {where}: {error.message}")
    if count < min_items:
        print(f"{manifest_path}: only {count} records, expected at least {min_items}")
        return 1
    print(f"{count} records valid, {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
