#!/usr/bin/python3
"""Reads a clipset export back by the format's own rules, independently of the writer, and checks
it against the manifest it came from. Prints one line per problem and exits 1, or "ok" and 0.

  export_read_back.py hf MANIFEST OUT_DIR
  export_read_back.py csv MANIFEST OUT_DIR
  export_read_back.py webdataset MANIFEST OUT_DIR [--shard-size BYTES]

Items are matched to exported files by the SHA-256 of the audio (the manifest's sha256 for clip
files; for virtual clips, pass --virtual and the files are only checked to exist and be WAV/FLAC).
"""
import csv
import glob
import hashlib
import io
import json
import os
import re
import sys
import tarfile
import wave

HF_SPLIT = {"train": "train", "training": "train", "val": "validation", "valid": "validation",
            "validation": "validation", "dev": "validation", "test": "test", "testing": "test"}
problems = []


def problem(text):
    problems.append(text)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def read_manifest(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def group_of(item):
    if item.get("group"):
        return item["group"]
    source = item.get("source") or {}
    return source.get("id") or item["id"]


def resolve(folder, name):
    if os.path.isabs(name) or ".." in name.split("/"):
        problem(f"{name}: file_name is not relative inside its folder")
    path = os.path.join(folder, name)
    if not os.path.isfile(path):
        problem(f"{path}: file_name does not resolve to a file")
        return None
    with open(path, "rb") as f:
        head = f.read(4)
    if head not in (b"RIFF", b"fLaC"):
        problem(f"{path}: not a WAV or FLAC file")
    return path


def match(items_by_sha, path, virtual):
    if virtual or path is None:
        return None
    digest = sha256(path)
    item = items_by_sha.get(digest)
    if item is None:
        problem(f"{path}: holds audio of no item of the manifest")
    return item


def check_rows(rows, folder, split_name, items, virtual, multi):
    by_sha = {i["sha256"]: i for i in items if "sha256" in i}
    seen = 0
    for row in rows:
        seen += 1
        path = resolve(folder, row["file_name"])
        item = match(by_sha, path, virtual)
        labels = row["labels"] if multi else ([l for l in row["label"].split(";")] if row["label"] else [])
        if item is None:
            continue
        if HF_SPLIT.get(item["split"], item["split"]) != split_name:
            problem(f"{path}: item {item['id']} of split {item['split']} is in folder {split_name}")
        if labels != item.get("labels", []):
            problem(f"{path}: labels {labels} where the manifest says {item.get('labels', [])}")
        if row["group"] != group_of(item):
            problem(f"{path}: group {row['group']!r} where the manifest says {group_of(item)!r}")
    expected = sum(1 for i in items if HF_SPLIT.get(i["split"], i["split"]) == split_name)
    if seen != expected:
        problem(f"{folder}: {seen} rows where the manifest has {expected} items in this split")


def check_hf(items, out, virtual):
    splits = sorted({HF_SPLIT.get(i["split"], i["split"]) for i in items})
    for split in splits:
        folder = os.path.join(out, split)
        csv_path = os.path.join(folder, "metadata.csv")
        jsonl_path = os.path.join(folder, "metadata.jsonl")
        if os.path.exists(csv_path) == os.path.exists(jsonl_path):
            problem(f"{folder}: needs exactly one of metadata.csv and metadata.jsonl")
            continue
        if os.path.exists(csv_path):
            with open(csv_path, newline="", encoding="utf-8") as f:
                reader = csv.DictReader(f)
                if reader.fieldnames[:3] != ["file_name", "label", "group"]:
                    problem(f"{csv_path}: header {reader.fieldnames} does not start file_name,label,group")
                check_rows(list(reader), folder, split, items, virtual, False)
        else:
            with open(jsonl_path, encoding="utf-8") as f:
                rows = [json.loads(line) for line in f]
            if rows and list(rows[0])[0] != "file_name":
                problem(f"{jsonl_path}: file_name is not the first field")
            check_rows(rows, folder, split, items, virtual, True)


def check_csv(items, out, virtual):
    with open(os.path.join(out, "meta", "classes.csv"), newline="", encoding="utf-8") as f:
        classes = {row["category"]: int(row["target"]) for row in csv.DictReader(f)}
    by_sha = {i["sha256"]: i for i in items if "sha256" in i}
    with open(os.path.join(out, "meta", "dataset.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if len(rows) != len(items):
        problem(f"dataset.csv: {len(rows)} rows where the manifest has {len(items)} items")
    for row in rows:
        path = resolve(os.path.join(out, "audio"), row["filename"])
        labels = row["category"].split(";") if row["category"] else []
        targets = [int(t) for t in row["target"].split(";")] if row["target"] else []
        if targets != [classes[l] for l in labels]:
            problem(f"{row['filename']}: target {row['target']} does not index category {row['category']}")
        item = match(by_sha, path, virtual)
        if item is None:
            continue
        if labels != item.get("labels", []):
            problem(f"{path}: labels {labels} where the manifest says {item.get('labels', [])}")
        if row["fold"] != (str(item["fold"]) if "fold" in item else ""):
            problem(f"{path}: fold {row['fold']!r} where the manifest says {item.get('fold')}")
        if row["split"] != item["split"]:
            problem(f"{path}: split {row['split']!r} where the manifest says {item['split']}")


# WebDataset's rule (webdataset.tariterators.base_plus_ext): the key is the path up to the first
# dot of the file name, the rest its extension.
KEY_RE = re.compile(r"^((?:.*/|)[^.]+)[.]([^/]*)$")


def samples_of(shard):
    """The samples of a shard as (key, {extension: bytes}), checking that each sample's files are
    consecutive."""
    samples = []
    with tarfile.open(shard) as tar:
        for member in tar:
            m = KEY_RE.match(member.name)
            if not m or not member.isfile():
                problem(f"{shard}: member {member.name} is not a KEY.EXT file")
                continue
            key, ext = m.groups()
            if samples and samples[-1][0] == key:
                samples[-1][1][ext] = tar.extractfile(member).read()
            elif any(k == key for k, _ in samples):
                problem(f"{shard}: the files of sample {key} are not consecutive")
            else:
                samples.append((key, {ext: tar.extractfile(member).read()}))
    return samples


def check_webdataset(items, out, virtual, shard_size=None):
    with open(os.path.join(out, "classes.txt"), encoding="utf-8") as f:
        classes = f.read().splitlines()
    by_id = {i["id"]: i for i in items}
    seen = set()
    for split in sorted({i["split"] for i in items}):
        shards = sorted(glob.glob(os.path.join(out, glob.escape(split) + "-[0-9][0-9][0-9][0-9][0-9][0-9].tar")))
        if not shards:
            problem(f"{out}: no shards for split {split}")
        for n, shard in enumerate(shards):
            if os.path.basename(shard) != f"{split}-{n:06d}.tar":
                problem(f"{shard}: shards are not numbered from 000000 without gaps")
            if shard_size is not None and os.path.getsize(shard) > shard_size:
                problem(f"{shard}: {os.path.getsize(shard)} bytes, more than the shard size {shard_size}")
            for key, files in samples_of(shard):
                if key in seen:
                    problem(f"{shard}: key {key} used twice")
                seen.add(key)
                if "." in key:
                    problem(f"{shard}: key {key} holds a dot")
                audio = [e for e in files if e in ("wav", "flac")]
                if "json" not in files or len(audio) != 1:
                    problem(f"{shard}: sample {key} is incomplete: {sorted(files)}")
                    continue
                record = json.loads(files["json"])
                item = by_id.get(record["id"])
                if item is None:
                    problem(f"{shard}: sample {key} is item {record['id']}, not in the manifest")
                    continue
                if record != item:
                    problem(f"{shard}: sample {key}: its json differs from the manifest's line")
                if item["split"] != split:
                    problem(f"{shard}: item {item['id']} of split {item['split']} is in a {split} shard")
                labels = item.get("labels", [])
                if len(labels) == 1:
                    if "cls" not in files or classes[int(files["cls"])] != labels[0]:
                        problem(f"{shard}: sample {key}: class {files.get('cls')} is not {labels[0]}")
                elif "cls" in files:
                    problem(f"{shard}: sample {key} has {len(labels)} labels and a cls file")
                data = files[audio[0]]
                if audio[0] == "wav":
                    with wave.open(io.BytesIO(data)) as w:
                        if w.getnframes() <= 0 or len(w.readframes(w.getnframes())) == 0:
                            problem(f"{shard}: sample {key}: no audio frames")
                if not virtual and "sha256" in item and hashlib.sha256(data).hexdigest() != item["sha256"]:
                    problem(f"{shard}: sample {key}: audio differs from {item.get('path')}")
    if len(seen) != len(items):
        problem(f"{out}: {len(seen)} samples where the manifest has {len(items)} items")


def main():
    args = [a for a in sys.argv[1:] if a != "--virtual"]
    virtual = "--virtual" in sys.argv
    shard_size = None
    if "--shard-size" in args:
        at = args.index("--shard-size")
        shard_size = int(args[at + 1])
        del args[at:at + 2]
    fmt, manifest, out = args
    items = read_manifest(manifest)
    if fmt == "webdataset":
        check_webdataset(items, out, virtual, shard_size)
    else:
        {"hf": check_hf, "csv": check_csv}[fmt](items, out, virtual)
    for p in problems:
        print(p)
    if problems:
        sys.exit(1)
    print("ok")


main()
