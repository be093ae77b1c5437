#!/usr/bin/env python3
"""Runs the examples in docs/*.md that are marked runnable, on the bundled example, and compares
their output with what the page shows (issue 22, item 11: pasted examples drift).

Markers (HTML comments, invisible on the rendered page), each right before a fenced block:
  <!-- file: NAME -->      the block is written to NAME in the work folder
  <!-- runnable -->        the block is a console session: '$ ' lines are commands, the lines
                           after each are its output (stdout and stderr as a terminal shows them)
  <!-- runnable: CMD -->   CMD is run; the block is its output
A line '...' in an output matches any number of lines; '...' inside a line matches any text.
Commands run with bash in a copy of examples/ after the example pipeline (examples/Makefile),
`clipset` first on PATH; an exit status other than 0 fails unless shown as '[exit N]' on the
last output line.

usage: doc_examples.py CLIPSET GENERATOR SOURCE_DIR WORK_DIR
"""
import os
import re
import shutil
import subprocess
import sys

MARK = re.compile(r"^<!--\s*(file|runnable)\s*(?::\s*(.*?))?\s*-->\s*$")


def blocks(path):
    """(line number, kind, argument, block lines) for each marked fenced block of a page."""
    lines = open(path, encoding="utf-8").read().split("\n")
    found = []
    i = 0
    while i < len(lines):
        m = MARK.match(lines[i].strip())
        if not m:
            i += 1
            continue
        start = i + 1
        while start < len(lines) and lines[start].strip() == "":
            start += 1
        if start >= len(lines) or not lines[start].lstrip().startswith("```"):
            found.append((i + 1, "error", "a marker must be followed by a fenced block", []))
            i += 1
            continue
        indent = len(lines[start]) - len(lines[start].lstrip())
        end = start + 1
        while end < len(lines) and not lines[end].strip().startswith("```"):
            end += 1
        body = [l[indent:] if l[:indent].strip() == "" else l for l in lines[start + 1:end]]
        found.append((i + 1, m.group(1), m.group(2) or "", body))
        i = end + 1
    return found


def line_matches(pattern, text):
    if "..." not in pattern:
        return pattern == text
    parts = [re.escape(p) for p in pattern.split("...")]
    return re.fullmatch(".*".join(parts), text) is not None


def output_matches(expected, actual):
    """Expected lines against actual lines; a '...' line takes any number of lines."""
    expected = [l.rstrip() for l in expected]
    actual = [l.rstrip() for l in actual]
    memo = {}

    def match(e, a):
        key = (e, a)
        if key in memo:
            return memo[key]
        if e == len(expected):
            result = a == len(actual)
        elif expected[e].strip() == "...":
            result = any(match(e + 1, k) for k in range(a, len(actual) + 1))
        else:
            result = a < len(actual) and line_matches(expected[e], actual[a]) and match(e + 1, a + 1)
        memo[key] = result
        return result

    return match(0, 0)


def run(command, cwd, env):
    done = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=600)
    out = done.stdout.decode("utf-8", "replace").split("\n")
    if out and out[-1] == "":
        out.pop()
    if done.returncode != 0:
        out.append("[exit %d]" % done.returncode)
    return out


def sessions(body):
    """A console block as (command, expected output lines) pairs."""
    pairs = []
    for line in body:
        if line.startswith("$ "):
            pairs.append((line[2:], []))
        elif pairs:
            pairs[-1][1].append(line)
    return pairs


def check_block(where, kind, argument, body, cwd, env):
    """Failure messages for one block (none when it ran as shown)."""
    if kind == "error":
        return ["%s: %s" % (where, argument)]
    if kind == "file":
        with open(os.path.join(cwd, argument), "w", encoding="utf-8") as f:
            f.write("\n".join(body) + "\n")
        return []
    pairs = [(argument, body)] if argument else sessions(body)
    if not pairs:
        return ["%s: a runnable block with no '$ ' command" % where]
    failures = []
    for command, expected in pairs:
        actual = run(command, cwd, env)
        if not output_matches(expected, actual):
            failures.append("%s: `%s` printed something else than the page shows:\n    %s" %
                            (where, command, "\n    ".join(actual)))
    return failures


def make_example(clipset, generator, source, work):
    """The example pipeline in a copy of examples/, as the demo runs it."""
    shutil.rmtree(work, ignore_errors=True)
    examples = os.path.join(work, "examples")
    shutil.copytree(os.path.join(source, "examples"), examples,
                    ignore=shutil.ignore_patterns("out", "datalake"))
    subprocess.run(["make", "--no-print-directory", "-C", examples, "CLIPSET=" + clipset,
                    "GENERATOR=" + generator, "OUT=out", "LAKE=datalake"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900)
    return examples


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    clipset, generator, source, work = (os.path.abspath(a) for a in sys.argv[1:])
    examples = make_example(clipset, generator, source, work)
    bin_dir = os.path.join(work, "bin")
    os.makedirs(bin_dir, exist_ok=True)
    os.symlink(clipset, os.path.join(bin_dir, "clipset"))
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""), LC_ALL="C.UTF-8",
               COLUMNS="100")
    env.pop("CLIPSET_JOBS", None)
    docs = os.path.join(source, "docs")
    failures, ran = [], 0
    for name in sorted(os.listdir(docs)):
        if not name.endswith(".md"):
            continue
        for line, kind, argument, body in blocks(os.path.join(docs, name)):
            ran += 1
            failures += check_block("docs/%s:%d" % (name, line), kind, argument, body, examples, env)
    for failure in failures:
        print(failure, file=sys.stderr)
    print("doc examples: %d marked blocks, %d failing" % (ran, len(failures)), file=sys.stderr)
    if ran == 0:
        print("doc examples: no block is marked runnable: the test would check nothing", file=sys.stderr)
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
