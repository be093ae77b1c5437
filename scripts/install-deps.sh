#!/usr/bin/env bash
# Installs the Debian 12 packages clipset needs, by purpose:
#   scripts/install-deps.sh [--for PURPOSE[,PURPOSE...]]
#   run         the libraries the clipset binary loads, and what the demo runs beside it
#   build       compiler, CMake and the -dev packages
#   build-docs  pandoc, which writes the man pages at build time (skipped without it)
#   test        everything the tests and scripts/test.sh use (fuzzers included)
#   bench       the tools the benchmarks compare clipset with
# Default: every purpose. Idempotent: when everything is present it only checks, and runs no
# apt-get at all.
set -euo pipefail

usage() { echo "usage: $0 [--for run|build|build-docs|test|bench[,...]]" >&2; exit 2; }

# Each entry: the purposes a group of packages serves, a colon, the packages.
groups=(
  "build: g++ make cmake pkg-config"
  "build: libsndfile1-dev libsamplerate0-dev libsoxr-dev libkissfft-dev libssl-dev"
  "build: nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev"
  # FFmpeg decodes the formats libsndfile cannot read (M4A/AAC, M4A/ALAC, 3GP/AMR, WebM/Opus)
  "build: libavformat-dev libavcodec-dev libswresample-dev libavutil-dev"
  # opencore-amr decodes AMR-NB/WB with DTX (comfort-noise frames FFmpeg's own decoders refuse)
  "build: libopencore-amrnb-dev libopencore-amrwb-dev"
  # export --to webdataset writes its tar shards with libarchive
  "build: libarchive-dev"
  # Chromaprint fingerprints recordings to find near-duplicates (copies that are not byte-identical)
  "build: libchromaprint-dev"
  # simdjson reads manifests (On Demand: only the fields a command needs are decoded)
  "build: libsimdjson-dev"
  # the man pages: pandoc turns docs/*.md into them at build time
  "build-docs: pandoc"
  # what the built binary loads (the -dev packages above bring them too)
  "run: libsndfile1 libsamplerate0 libsoxr0 libkissfft-float131 libssl3 libspdlog1.10 libfmt9"
  "run: libavformat59 libavcodec59 libswresample4 libavutil57 libopencore-amrnb0 libopencore-amrwb0"
  "run: libarchive13 libchromaprint1 libsimdjson14"
  # the demo's example lake gets its phone formats from ffmpeg (AAC) and sox (AMR-NB: Debian's
  # ffmpeg has no AMR encoder; libsox-fmt-all brings opencore-amr), and the demo reads the
  # learning curve's JSON answer with jq; the tests and benchmarks make audio with them too
  "run,test,bench: sox libsox-fmt-all ffmpeg jq"
  # tests: Catch2 v2, and the manifest's JSON Schema check
  "test: catch2 python3 python3-jsonschema"
  # tests: Cohen's kappa checked against scikit-learn's cohen_kappa_score (also bench/split_vs_sklearn.py);
  # learning-curve's features against a numpy reference and its accuracy against scikit-learn
  "test,bench: python3-numpy python3-sklearn"
  # tests: compare's divergences and tests (JS, chi-square, Kolmogorov-Smirnov) against scipy
  "test: python3-scipy"
  # tests: the --shard recipes under GNU parallel; benchmarks: the parallel baselines and peak memory
  "test,bench: parallel time"
  # tests: a real single-node Slurm cluster for the --shard recipes (tests/scale/slurm_cluster.sh
  # starts and stops the daemons itself; it skips, saying why, where they cannot start)
  "test: slurmctld slurmd slurm-client munge"
  # tests: the installed tree (tests/install/): man -l renders every page, zsh parses its completion,
  # cpack -G DEB reads the binary's dependencies with dpkg-shlibdeps (and file), pandoc writes the pages
  "test: man-db zsh dpkg-dev file pandoc"
  # fuzzing (scripts/fuzz.sh, and 30 s per harness in scripts/test.sh): libFuzzer with clang
  "test: clang-14 libfuzzer-14-dev"
)
all_purposes=(run build build-docs test bench)

wanted=("${all_purposes[@]}")
while [ $# -gt 0 ]; do
  case $1 in
    --for) [ $# -ge 2 ] || usage; IFS=, read -r -a wanted <<<"$2"; shift 2 ;;
    --for=*) IFS=, read -r -a wanted <<<"${1#--for=}"; shift ;;
    -h|--help) sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) usage ;;
  esac
done
[ ${#wanted[@]} -gt 0 ] || usage
for purpose in "${wanted[@]}"; do
  [[ " ${all_purposes[*]} " == *" $purpose "* ]] || { echo "install-deps: --for $purpose: no such purpose (${all_purposes[*]})" >&2; exit 2; }
done

packages=()
for group in "${groups[@]}"; do
  IFS=, read -r -a serves <<<"${group%%:*}"
  for purpose in "${serves[@]}"; do
    if [[ " ${wanted[*]} " == *" $purpose "* ]]; then
      for pkg in ${group#*:}; do
        [[ " ${packages[*]} " == *" $pkg "* ]] || packages+=("$pkg")
      done
      break
    fi
  done
done

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages for ${wanted[*]} present" >&2
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "install-deps: missing packages (${missing[*]}) and not root; run as root or install sudo" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >&2
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
