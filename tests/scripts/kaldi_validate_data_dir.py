#!/usr/bin/python3
"""The checks of Kaldi's utils/validate_data_dir.sh (and utils/validate_text.pl), re-implemented
to test clipset's Kaldi export without Kaldi, plus a comparison with the manifest:

  kaldi_validate_data_dir.py DATA_DIR MANIFEST SPLIT

- every file sorted in the C locale (byte order) on its first field, with no key twice
  (check_sorted_and_uniq: `LC_ALL=C sort -k1,1 -u FILE | cmp - FILE`);
- utt2spk two fields a line; spk2utt turned back into utt2spk (spk2utt_to_utt2spk.pl) is utt2spk;
- utterance ids start with their speaker id;
- text, utt2dur, utt2label name exactly the utterances of utt2spk;
- with segments: its utterances are those of utt2spk, its recordings are in wav.scp, and each
  segment lies inside its recording (0 <= start < end <= duration); without: wav.scp names the
  utterances;
- every wav.scp file exists and is a WAV file (a name with a space is refused, as Kaldi does; a
  command ending in "|" is run with sh and its output read); utt2dur is the audio's duration;
- the text of each utterance is the labels the manifest gives its item, and there are as many
  utterances as items of SPLIT.
Prints one line per problem and exits 1, or "ok" and exits 0.
"""
import io
import json
import os
import subprocess
import sys
import wave

problems = []


def problem(text):
    problems.append(text)


def read_table(path):
    with open(path, "rb") as f:
        raw = f.read()
    lines = raw.decode("utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    else:
        problem(f"{path}: does not end with a newline")
    keys = [line.split(" ", 1)[0] for line in lines]
    # LC_ALL=C sort -k1,1 -u: sorted by the key's bytes, each key once.
    for a, b in zip(keys, keys[1:]):
        if not a.encode() < b.encode():
            problem(f"{path}: not sorted and unique in the C locale at key {b}")
            break
    for line in lines:
        if line != line.strip() or "  " in line or "\t" in line:
            problem(f"{path}: badly separated line {line!r}")
    return [line.split(" ") for line in lines]


def main():
    data, manifest, split = sys.argv[1:4]
    utt2spk = read_table(os.path.join(data, "utt2spk"))
    for fields in utt2spk:
        if len(fields) != 2:
            problem(f"utt2spk: line {' '.join(fields)} has {len(fields)} fields")
    spk2utt = read_table(os.path.join(data, "spk2utt"))
    back = [[utt, fields[0]] for fields in spk2utt for utt in fields[1:]]
    if back != utt2spk:
        problem("spk2utt and utt2spk do not seem to match")
    utts = [f[0] for f in utt2spk]
    for utt, spk in utt2spk:
        if not utt.startswith(spk):
            problem(f"utt2spk: utterance {utt} does not start with its speaker {spk}")
    tables = {}
    for name in ("text", "utt2dur", "utt2label"):
        tables[name] = read_table(os.path.join(data, name))
        if [f[0] for f in tables[name]] != utts:
            problem(f"{name}: does not name exactly the utterances of utt2spk")
    wav = {f[0]: " ".join(f[1:]) for f in read_table(os.path.join(data, "wav.scp"))}
    lengths = {}
    for key, path in wav.items():
        audio = path
        if path.endswith("|"):
            # An extended file name: a command whose output is the audio (Kaldi runs it with sh).
            run = subprocess.run(["sh", "-c", path[:-1]], capture_output=True)
            if run.returncode != 0:
                problem(f"wav.scp: {key}: {path} failed: {run.stderr.decode(errors='replace')}")
                continue
            audio = io.BytesIO(run.stdout)
        elif " " in path or not os.path.isfile(path):
            problem(f"wav.scp: {key}: {path} does not exist or holds a space (Kaldi refuses it)")
            continue
        with wave.open(audio) as w:
            lengths[key] = w.getnframes() / w.getframerate()
    durations = {f[0]: float(f[1]) for f in tables["utt2dur"]}
    seg_path = os.path.join(data, "segments")
    if os.path.exists(seg_path):
        segments = read_table(seg_path)
        if [f[0] for f in segments] != utts:
            problem("segments: does not name exactly the utterances of utt2spk")
        for utt, rec, start, end in segments:
            start, end = float(start), float(end)
            if rec not in wav:
                problem(f"segments: {utt}: recording {rec} is not in wav.scp")
            elif not (0 <= start < end <= lengths.get(rec, 0) + 1e-3):
                problem(f"segments: {utt}: {start}..{end} is not inside {rec} ({lengths.get(rec)} s)")
            if abs(durations.get(utt, -1) - (end - start)) > 2e-3:
                problem(f"utt2dur: {utt}: {durations.get(utt)} where its segment lasts {end - start}")
    else:
        if sorted(wav) != utts:
            problem("wav.scp: without segments, it must name exactly the utterances")
        for utt in utts:
            if utt in lengths and abs(durations.get(utt, -1) - lengths[utt]) > 2e-3:
                problem(f"utt2dur: {utt}: {durations.get(utt)} where its audio lasts {lengths[utt]}")
    with open(manifest, encoding="utf-8") as f:
        items = [json.loads(line) for line in f if line.strip()]
    items = [i for i in items if i.get("split") == split]
    if len(items) != len(utts):
        problem(f"{len(utts)} utterances where the manifest has {len(items)} items in {split}")
    expected = sorted(" ".join(l.replace(" ", "_") for l in i.get("labels", [])) or "<none>" for i in items)
    got = sorted(" ".join(f[1:]) for f in tables["text"])
    if expected != got:
        problem("text: the labels differ from the manifest's")
    for p in problems:
        print(p)
    if problems:
        sys.exit(1)
    print("ok")


main()
