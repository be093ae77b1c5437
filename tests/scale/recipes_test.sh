#!/usr/bin/env bash
# Runs the blocks of docs/recipes/scale.md with their engine over the example lake, and compares
# the merged manifests and the clip files with a one-machine run of the same steps.
# Usage: recipes_test.sh slurm|parallel|kubernetes|make CLIPSET GENERATOR SOURCE_DIR WORK_DIR
# Exit 77 (CTest: skipped) with the reason when the engine is not installed or cannot start.
set -euo pipefail
engine=$1 clipset=$2 generator=$3 source=$4 work=$5
recipes=$source/docs/recipes/scale.md
skip() { echo "SKIP: $*" >&2; exit 77; }

# The fenced block after "<!-- recipe: NAME -->" in the recipes page.
recipe() {
  awk -v name="$1" '
    $0 == "<!-- recipe: " name " -->" { found = 1; next }
    found == 1 && /^```/ { found = 2; next }
    found == 2 && /^```/ { exit }
    found == 2 { print }' "$recipes"
}

# The one-machine run of the same steps, kept in ref/; then a clean folder for the engine.
one_machine() {
  clipset ingest data/raw --metadata data/raw/sheet.csv --quality -q -o raw.jsonl
  clipset segment raw.jsonl --rate 16k --mono --length 1s --hop 0.5s --out clips/ -q -o clips.jsonl
  mkdir -p ref && mv raw.jsonl clips.jsonl clips ref/
}

same_as_one_machine() {
  local what=$1 status=0
  cmp raw.jsonl ref/raw.jsonl || { echo "FAIL ($what): raw.jsonl differs from the one-machine ingest" >&2; status=1; }
  cmp clips.jsonl ref/clips.jsonl || { echo "FAIL ($what): clips.jsonl differs from the one-machine segment" >&2; status=1; }
  diff -r clips ref/clips >/dev/null || { echo "FAIL ($what): the clip files differ from the one-machine run" >&2; status=1; }
  [ "$status" = 0 ] && echo "ok ($what): $(wc -l <clips.jsonl) clips, byte-identical to one machine"
  rm -rf raw.jsonl clips.jsonl clips shards logs
  return "$status"
}

case $engine in
  slurm) for tool in sbatch slurmctld slurmd munged; do command -v $tool >/dev/null || skip "$tool is not installed"; done ;;
  parallel) command -v parallel >/dev/null || skip "GNU parallel is not installed" ;;
  make) command -v make >/dev/null || skip "make is not installed" ;;
  kubernetes) ;;  # no cluster: the Job's command runs with the index Kubernetes would give
  *) echo "unknown engine $engine" >&2; exit 2 ;;
esac

rm -rf "$work" && mkdir -p "$work/data"
"$generator" "$work/data/raw" 2>/dev/null
cd "$work"
PATH=$(cd "$(dirname "$clipset")" && pwd):$PATH
export PATH
one_machine

case $engine in
  slurm)
    . "$source/tests/scale/slurm_cluster.sh"
    trap slurm_cluster_stop EXIT
    slurm_cluster_start "$work/cluster" || exit $?
    recipe slurm/ingest.sbatch >ingest.sbatch
    recipe slurm/segment.sbatch >segment.sbatch
    recipe slurm/submit.sh >submit.sh
    recipe slurm/interactive.sh >interactive.sh
    bash submit.sh >/dev/null || { cat logs/*.log >&2; exit 1; }
    same_as_one_machine "Slurm: arrays with dependent merges"
    bash -e interactive.sh >/dev/null || { cat logs/*.log >&2; exit 1; }
    same_as_one_machine "Slurm: sbatch --array=0-3 --wait"
    ;;
  parallel)
    recipe parallel.sh >parallel.sh
    HOSTS=4/: N=4 bash -e parallel.sh
    same_as_one_machine "GNU parallel, 4 local slots, N=4"
    HOSTS=2/: N=7 bash -e parallel.sh
    same_as_one_machine "GNU parallel, 2 local slots, N=7"
    ;;
  kubernetes)
    recipe kubernetes/segment-job.yaml >segment-job.yaml
    recipe kubernetes/merge.sh >merge.sh
    pod=$(sed -n 's/^ *- \(clipset segment .*\)$/\1/p' segment-job.yaml)
    merge=$(sed -n 's/.*"sh","-c","\(clipset merge [^"]*\)".*/\1/p' merge.sh)
    [ -n "$pod" ] && [ -n "$merge" ] || { echo "FAIL: no container command or merge command in the recipe" >&2; exit 1; }
    cp ref/raw.jsonl raw.jsonl
    mkdir -p shards
    for index in 0 1 2 3; do JOB_COMPLETION_INDEX=$index sh -c "$pod"; done
    sh -c "$merge"
    same_as_one_machine "Kubernetes Indexed Job command, JOB_COMPLETION_INDEX 0..3"
    ;;
  make)
    recipe Makefile >Makefile
    make -s -j4 >/dev/null
    same_as_one_machine "make -j4"
    ;;
esac
