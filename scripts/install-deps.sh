#!/usr/bin/env bash
# Installs the Debian 12 packages clipset needs to build, test and benchmark.
# Idempotent: when everything is present it only checks, and runs no apt-get at all.
set -euo pipefail

packages=(
  # build
  g++ make cmake pkg-config
  libsndfile1-dev libsamplerate0-dev libsoxr-dev libkissfft-dev libssl-dev
  nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev
  # FFmpeg decodes the formats libsndfile cannot read (M4A/AAC, M4A/ALAC, 3GP/AMR, WebM/Opus)
  libavformat-dev libavcodec-dev libswresample-dev libavutil-dev
  # opencore-amr decodes AMR-NB/WB with DTX (comfort-noise frames FFmpeg's own decoders refuse)
  libopencore-amrnb-dev libopencore-amrwb-dev
  # export --to webdataset writes its tar shards with libarchive
  libarchive-dev
  # Chromaprint fingerprints recordings to find near-duplicates (copies that are not byte-identical)
  libchromaprint-dev
  # simdjson reads manifests (On Demand: only the fields a command needs are decoded)
  libsimdjson-dev
  # tests: Catch2 v2, and the manifest's JSON Schema check
  catch2 python3 python3-jsonschema
  # tests: Cohen's kappa checked against scikit-learn's cohen_kappa_score (also bench/split_vs_sklearn.py);
  # learning-curve's features against a numpy reference and its accuracy against scikit-learn
  python3-numpy python3-sklearn
  # tests: compare's divergences and tests (JS, chi-square, Kolmogorov-Smirnov) against scipy
  python3-scipy
  # benchmarks compare against the tools a user would otherwise use, and measure peak memory;
  # the tests make phone formats with ffmpeg (AAC, ALAC, Opus, MP3) and sox (AMR-NB: Debian's
  # ffmpeg has no AMR encoder; libsox-fmt-all brings opencore-amr); the demo reads the learning
  # curve's JSON answer with jq
  sox libsox-fmt-all parallel ffmpeg time jq
  # tests: a real single-node Slurm cluster for the --shard recipes (tests/scale/slurm_cluster.sh
  # starts and stops the daemons itself; it skips, saying why, where they cannot start)
  slurmctld slurmd slurm-client munge
  # fuzzing (scripts/fuzz.sh, and 30 s per harness in scripts/test.sh): libFuzzer with clang
  clang-14 libfuzzer-14-dev
)

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present" >&2
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
