# shellcheck shell=bash
# Shared helpers for clipset's bench/*.sh scripts. Source it; do not run it:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
#
# Everything here is a function (prefix bench_) or a BENCH_* variable. Messages go to stderr so
# that a script's stdout holds only its report. Requires bash >= 5 (EPOCHREALTIME).
#
# Timing model: a timed "command" is a simple command, usually the name of a shell function the
# script defines (so pipelines and redirections live inside the function):
#
#   run_sha() { find "$CORPUS" -type f -print0 | xargs -0 sha256sum >/dev/null; }
#   bench_warm run_sha                # once, untimed: warms the page cache
#   t=$(bench_median 3 run_sha)       # median wall-clock seconds of 3 runs
#   bench_last_cpu                    # "user sys" CPU seconds summed over those runs
#
# A timed command that fails aborts the script (the numbers would be meaningless).

if [[ -n "${BENCH_COMMON_LOADED:-}" ]]; then return 0; fi
BENCH_COMMON_LOADED=1

if ((BASH_VERSINFO[0] < 5)); then
  echo "bench: bash >= 5 is required (have $BASH_VERSION)" >&2
  exit 2
fi

BENCH_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_NAME="$(basename "${0%.sh}")"

# --- messages -------------------------------------------------------------------------------

bench_log() { printf '[%s] %s\n' "$BENCH_NAME" "$*" >&2; }
bench_warn() { printf '[%s] warning: %s\n' "$BENCH_NAME" "$*" >&2; }
bench_die() {
  printf '[%s] error: %s\n' "$BENCH_NAME" "$*" >&2
  exit 2
}

# bench_require_tools TOOL...: exits 2 naming every missing tool.
bench_require_tools() {
  local missing=() tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  ((${#missing[@]} == 0)) || bench_die "missing tools: ${missing[*]} (install them, e.g. apt-get install sox parallel coreutils)"
}

# bench_require_uint NAME VALUE: exits 2 unless VALUE is a positive integer.
bench_require_uint() {
  [[ "$2" =~ ^[0-9]+$ && "$2" -gt 0 ]] || bench_die "$1 must be a positive integer (got '$2')"
}

# --- generated manifests ----------------------------------------------------------------------

# bench_split_clip_manifest ITEMS GROUPS CLASSES FILE: the clip manifest of bench/clip_manifest.awk
# plus a split per recording (80/10/10 by the group's number), written to FILE (via FILE.tmp).
# Used by bench/stats.sh and bench/compare.sh.
bench_split_clip_manifest() {
  local items="$1" groups="$2" classes="$3" out="$4" free need start
  free="$(bench_free_bytes "$(dirname "$out")")"
  need=$((items * 750 + (256 << 20)))
  ((free > need)) || bench_die "not enough space for $out: need $((need >> 20)) MiB, have $((free >> 20)) MiB"
  bench_log "generating $items clips from $groups recordings over $classes classes in $out"
  start=$EPOCHREALTIME
  awk -v n="$items" -v groups="$groups" -v classes="$classes" -f "$BENCH_REPO_ROOT/bench/clip_manifest.awk" |
    awk '{ g = substr($0, index($0, "\"group\":\"rec") + 12, 5) + 0; s = g % 10 == 0 ? "test" : g % 10 == 1 ? "val" : "train"
           sub(/,"manifest_version":1}$/, ",\"split\":\"" s "\",\"manifest_version\":1}"); print }' >"$out.tmp"
  mv "$out.tmp" "$out"
  bench_log "generated in $(bench_calc "$EPOCHREALTIME - $start") s"
}

# bench_split_manifest_setup ARGS...: what bench/stats.sh and bench/compare.sh share: parses
# --items --groups --classes --clipset --work-dir --runs --regenerate (-h calls the script's
# usage), checks the tools, finds clipset, and makes (or reuses) the manifest. Sets ITEMS GROUPS_N
# CLASSES RUNS WORK_DIR MANIFEST LINES BYTES LOAD_START CLIPSET.
bench_split_manifest_setup() {
  ITEMS=1000000 GROUPS_N=5000 CLASSES=20 RUNS=3 WORK_DIR=/tmp/clipset-bench
  local clipset_arg="" regenerate=0
  while (($# > 0)); do
    case "$1" in
      --items) ITEMS="${2:?--items needs a value}"; shift 2 ;;
      --groups) GROUPS_N="${2:?--groups needs a value}"; shift 2 ;;
      --classes) CLASSES="${2:?--classes needs a value}"; shift 2 ;;
      --clipset) clipset_arg="${2:?--clipset needs a value}"; shift 2 ;;
      --work-dir) WORK_DIR="${2:?--work-dir needs a value}"; shift 2 ;;
      --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
      --regenerate) regenerate=1; shift ;;
      -h | --help) usage; exit 0 ;;
      *) usage >&2; bench_die "unknown option: $1" ;;
    esac
  done
  bench_require_uint --items "$ITEMS"
  bench_require_uint --groups "$GROUPS_N"
  bench_require_uint --classes "$CLASSES"
  bench_require_uint --runs "$RUNS"
  ((GROUPS_N <= ITEMS)) || bench_die "--groups ($GROUPS_N) must not exceed --items ($ITEMS)"
  bench_require_tools jq awk sort uniq cmake df
  bench_gnu_time >/dev/null
  LOAD_START="$(bench_loadavg)"
  bench_check_quiet || true
  CLIPSET="$(bench_clipset_binary "$clipset_arg")"
  mkdir -p "$WORK_DIR"
  WORK_DIR="$(cd "$WORK_DIR" && pwd)"
  MANIFEST="$WORK_DIR/stats-${ITEMS}items-${GROUPS_N}groups-${CLASSES}classes.jsonl"
  if [[ "$regenerate" == 1 || ! -f "$MANIFEST" ]]; then
    bench_split_clip_manifest "$ITEMS" "$GROUPS_N" "$CLASSES" "$MANIFEST"
  else
    bench_log "reusing $MANIFEST (pass --regenerate to rebuild)"
  fi
  LINES="$(wc -l <"$MANIFEST")"
  BYTES="$(stat -c %s "$MANIFEST")"
  ((LINES == ITEMS)) || bench_die "$MANIFEST holds $LINES lines, expected $ITEMS (pass --regenerate)"
}

# bench_vs_jq_report TITLE FN JQ_FN NAME JQ_NAME: after bench_rounds, the report of a clipset
# command against a jq pipeline on $MANIFEST, and the two targets: faster than jq, peak RSS under
# 100 MB.
bench_vs_jq_report() {
  local title="$1" fn="$2" jq_fn="$3" names=("$4" "$5") fns=("$2" "$3") i t ok
  echo "== $title benchmark =="
  bench_machine_info "$CLIPSET"
  printf 'jq:        %s\n' "$(jq --version 2>&1)"
  printf 'manifest:  %s\n' "$MANIFEST"
  printf '           %d items, %d groups, %d classes, %.1f MB\n' "$ITEMS" "$GROUPS_N" "$CLASSES" "$(bench_calc "$BYTES / 1e6")"
  printf 'method:    warm page cache, median of %d interleaved rounds; peak RSS (largest process of\n' "$RUNS"
  printf '           a pipeline) from GNU time\n'
  printf 'load avg:  %s at start (1, 5, 15 min)\n' "$LOAD_START"
  echo
  bench_table_start "" "tool" "seconds" "items/s" "vs jq" "cpu s/run (user+sys)" "peak RSS MB"
  for i in 0 1; do
    t="${BENCH_MEDIAN[${fns[$i]}]}"
    bench_table_row "${names[$i]}" "$t" \
      "$(awk -v n="$ITEMS" -v t="$t" 'BEGIN { printf "%.0f", n / t }')" \
      "$(bench_ratio "$t" "${BENCH_MEDIAN[$jq_fn]}")x" "${BENCH_CPU[${fns[$i]}]}" "$(bench_mb "${BENCH_RSS_KIB[${fns[$i]}]}")"
  done
  bench_table_end
  echo
  ok=0
  bench_lt "${BENCH_MEDIAN[$fn]}" "${BENCH_MEDIAN[$jq_fn]}" && ok=1
  bench_verdict "$title faster than the jq pipeline" "$ok" \
    "${BENCH_MEDIAN[$fn]} s vs ${BENCH_MEDIAN[$jq_fn]} s; $(bench_ratio "${BENCH_MEDIAN[$jq_fn]}" "${BENCH_MEDIAN[$fn]}")x faster"
  ok=0
  # ru_maxrss is in KiB; the limit is 100 MB = 100e6 bytes.
  ((BENCH_RSS_KIB[$fn] * 1024 < 100000000)) && ok=1
  bench_verdict "$title peak RSS under 100 MB" "$ok" "$(bench_mb "${BENCH_RSS_KIB[$fn]}") MB"
}

# --- clipset binary -------------------------------------------------------------------------

# bench_clipset_binary [PATH]: prints an executable clipset. Without PATH, uses
# build/apps/clipset/clipset in the repo, configuring and building Release there if it is missing.
bench_clipset_binary() {
  local bin="${1:-}"
  if [[ -n "$bin" ]]; then
    [[ -x "$bin" ]] || bench_die "clipset binary not found or not executable: $bin"
    printf '%s\n' "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
    return
  fi
  local build="$BENCH_REPO_ROOT/build"
  bin="$build/apps/clipset/clipset"
  if [[ ! -x "$bin" ]]; then
    bench_log "no $bin: building Release in $build"
    cmake -S "$BENCH_REPO_ROOT" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCLIPSET_BUILD_TESTS=OFF >&2 ||
      bench_die "cmake configure failed"
    cmake --build "$build" -j"$(nproc)" --target clipset >&2 || bench_die "build failed"
  fi
  local type
  type="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)"
  [[ "$type" == Release ]] || bench_warn "$build is a '${type:-unknown}' build, not Release: timings may be pessimistic (pass a Release binary)"
  printf '%s\n' "$bin"
}

# --- disk -----------------------------------------------------------------------------------

# bench_free_bytes DIR: free bytes on DIR's file system (DIR or its nearest existing parent).
bench_free_bytes() {
  local dir="$1"
  while [[ ! -d "$dir" ]]; do dir="$(dirname "$dir")"; done
  df -P -B1 "$dir" | awk 'NR == 2 { print $4 }'
}

# --- page cache ---------------------------------------------------------------------------

# bench_cache_files LIST0: reads every file named in LIST0 (NUL-separated paths) once, so that
# they are in the page cache. Some VMs (e.g. DAMON "pageout" schemes) evict page cache that sat
# unread for a minute, so call it right before each timed run rather than once.
bench_cache_files() { xargs -0 cat <"$1" >/dev/null; }

# bench_resident_pct LIST0: percentage of those files' bytes in the page cache ("?" without
# util-linux fincore).
bench_resident_pct() {
  command -v fincore >/dev/null 2>&1 || { echo "?"; return; }
  xargs -0 fincore -b -n -o RES,SIZE <"$1" | awk '{ r += $1; s += $2 } END { if (s) { p = 100 * r / s; printf "%.1f\n", (p > 100 ? 100 : p) } else print "?" }'
}

# --- timing ---------------------------------------------------------------------------------

BENCH_LAST_TIMES=()   # wall seconds of each run of the last bench_median
BENCH_LAST_USER=0     # user CPU seconds, summed over those runs (children included)
BENCH_LAST_SYS=0      # system CPU seconds, likewise

# bench_time_once CMD [ARG...]: runs it once; prints "wall user sys" in seconds and also stores
# it in BENCH_LAST_RUN. The command's stdout and stderr pass through (redirect inside the command
# to silence them). Exits the script if the command fails.
BENCH_LAST_RUN=""
bench_time_once() {
  local out rc had_e=0
  [[ $- == *e* ]] && had_e=1
  out="$(mktemp)"
  # bash's `time` keyword covers waited-for children; its report goes to fd 2 of the group,
  # which we point at $out while the command keeps the caller's stdout (fd 4) and stderr (fd 3).
  local TIMEFORMAT='%3R %3U %3S'
  set +e
  {
    time "$@" 1>&4 2>&3
  } 3>&2 4>&1 2>"$out"
  rc=$?
  ((had_e)) && set -e
  if ((rc != 0)); then
    rm -f "$out"
    bench_die "timed command failed (exit $rc): $*"
  fi
  BENCH_LAST_RUN="$(tail -n 1 "$out")"
  rm -f "$out"
  printf '%s\n' "$BENCH_LAST_RUN"
}

# bench_warm CMD [ARG...]: runs it once, untimed (page cache, lazy loading, first-run effects).
bench_warm() { bench_time_once "$@" >/dev/null; }

# bench_median RUNS CMD [ARG...]: runs CMD RUNS times; prints the median wall-clock seconds.
# Also sets BENCH_LAST_TIMES, BENCH_LAST_USER and BENCH_LAST_SYS (read them in the same shell:
# call it as `bench_median 3 cmd >file` or via bench_measure, not inside $(...)).
bench_median() {
  local runs="$1"
  shift
  BENCH_LAST_TIMES=()
  BENCH_LAST_USER=0
  BENCH_LAST_SYS=0
  local i wall user sys
  for ((i = 0; i < runs; i++)); do
    bench_time_once "$@" >/dev/null
    read -r wall user sys <<<"$BENCH_LAST_RUN"
    BENCH_LAST_TIMES+=("$wall")
    BENCH_LAST_USER="$(bench_calc "$BENCH_LAST_USER + $user")"
    BENCH_LAST_SYS="$(bench_calc "$BENCH_LAST_SYS + $sys")"
  done
  bench_median_of "${BENCH_LAST_TIMES[@]}"
}

# bench_measure VAR RUNS CMD [ARG...]: like bench_median, but stores the median in VAR and keeps
# BENCH_LAST_* visible to the caller. Logs each run's times to stderr.
bench_measure() {
  local -n _bench_var="$1"
  local runs="$2"
  shift 2
  local median_file
  median_file="$(mktemp)"
  bench_median "$runs" "$@" >"$median_file"
  _bench_var="$(<"$median_file")"
  rm -f "$median_file"
  bench_log "  runs: ${BENCH_LAST_TIMES[*]} s -> median $_bench_var s (cpu per run: user $(bench_calc "$BENCH_LAST_USER / $runs") s, sys $(bench_calc "$BENCH_LAST_SYS / $runs") s)"
}

# bench_median_of NUMBER...: prints the median (mean of the middle two for an even count).
bench_median_of() {
  (($# > 0)) || bench_die "bench_median_of: no values"
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR % 2) printf "%.3f\n", v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench_calc EXPR: floating-point arithmetic via awk, printed with 3 decimals ("nan" on x/0).
bench_calc() {
  awk "BEGIN { x = ($1); printf \"%.3f\\n\", x }" 2>/dev/null || echo nan
}

# bench_ratio A B: A / B with 2 decimals, or "-" when B is zero or missing.
bench_ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0 || a == "" || a == "-") print "-"; else printf "%.2f\n", a / b }'
}

# bench_le A B: succeeds when A <= B (floating point).
bench_le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }'; }

# bench_lt A B: succeeds when A < B (floating point).
bench_lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; }

# --- reporting ------------------------------------------------------------------------------

# bench_machine_info [CLIPSET]: prints "key: value" lines describing the machine and tools.
bench_machine_info() {
  local clipset="${1:-}" cpu
  cpu="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)"
  [[ -n "$cpu" ]] || cpu="$(uname -m)"
  printf 'date:      %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  printf 'host:      %s (%s)\n' "$(uname -sr)" "$(uname -m)"
  printf 'cpu:       %s, nproc %s\n' "$cpu" "$(nproc)"
  printf 'memory:    %s\n' "$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)"
  printf 'load:      %s (1, 5, 15 min averages, now)\n' "$(bench_loadavg)"
  if [[ -n "$clipset" ]]; then printf 'clipset:   %s (%s)\n' "$("$clipset" --version 2>&1 | head -n 1)" "$clipset"; fi
  printf 'sha256sum: %s\n' "$(sha256sum --version 2>&1 | head -n 1)"
}

# bench_loadavg: the 1, 5 and 15 minute load averages, e.g. "0.12 0.30 0.25".
bench_loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# bench_check_quiet: warns when the machine is busy (1-minute load above half the cores), since
# other processes then steal CPU from the timed commands and parallel speed-ups shrink.
# Succeeds when quiet.
bench_check_quiet() {
  local load cores
  load="$(cut -d' ' -f1 /proc/loadavg)"
  cores="$(nproc)"
  if ! bench_le "$load" "$(bench_calc "$cores / 2")"; then
    bench_warn "the machine is busy (load average $load on $cores cores): timings will be noisy and parallel speed-ups understated"
    return 1
  fi
}

# Tables: bench_table_start "Title" COL...; bench_table_row CELL...; bench_table_end.
# Rows are buffered so columns can be sized to fit; the first column is left-aligned, the rest
# right-aligned. bench_table_rule adds a separator line.
BENCH_TABLE_ROWS=()
bench_table_start() {
  BENCH_TABLE_TITLE="$1"
  shift
  BENCH_TABLE_ROWS=("$(printf '%s\t' "$@")")
}
bench_table_row() { BENCH_TABLE_ROWS+=("$(printf '%s\t' "$@")"); }
bench_table_rule() { BENCH_TABLE_ROWS+=("--rule--"); }
bench_table_end() {
  [[ -n "${BENCH_TABLE_TITLE:-}" ]] && printf '%s\n' "$BENCH_TABLE_TITLE"
  printf '%s\n' "${BENCH_TABLE_ROWS[@]}" | awk -F'\t' '
    { line[NR] = $0; if ($0 == "--rule--") next
      for (i = 1; i < NF; i++) if (length($i) > w[i]) w[i] = length($i)
      if (NF - 1 > n) n = NF - 1 }
    END {
      total = 0; for (i = 1; i <= n; i++) total += w[i] + 2
      for (r = 1; r <= NR; r++) {
        if (line[r] == "--rule--" || r == 2) {
          s = ""; for (i = 1; i < total; i++) s = s "-"; print s
          if (line[r] == "--rule--") continue
        }
        k = split(line[r], c, "\t"); out = ""
        for (i = 1; i < k; i++) {
          fmt = (i == 1) ? "%-" w[i] "s" : "%" w[i] "s"
          out = out (i > 1 ? "  " : "") sprintf(fmt, c[i])
        }
        print out
      }
    }'
  BENCH_TABLE_ROWS=()
  BENCH_TABLE_TITLE=""
}

# bench_verdict LABEL OK(0|1) DETAIL: prints "PASS  label  (detail)" or a loud FAIL line.
bench_verdict() {
  if [[ "$2" == 1 ]]; then
    printf 'PASS  %s  (%s)\n' "$1" "$3"
  else
    printf 'FAIL  %s  (%s)   <<<<<< FAIL\n' "$1" "$3"
  fi
}

# --- peak memory (GNU time) -----------------------------------------------------------------

# bench_gnu_time: prints the path of GNU time (the `time` package, not the shell keyword), or
# exits 2 saying how to install it. Peak RSS comes from its %M.
bench_gnu_time() {
  local bin
  for bin in "${BENCH_GNU_TIME:-}" /usr/bin/time "$(type -P gtime 2>/dev/null || true)"; do
    [[ -n "$bin" && -x "$bin" ]] || continue
    if "$bin" -f '%M' -o /dev/null true 2>/dev/null; then
      printf '%s\n' "$bin"
      return
    fi
  done
  bench_die "GNU time is required for peak RSS (apt-get install time; it belongs in scripts/install-deps.sh)"
}

# bench_time_rss CMD [ARG...]: like bench_time_once, and also the peak resident set size. Prints
# "wall user sys maxrss_kib" and stores it in BENCH_LAST_RUN (and the RSS in BENCH_LAST_RSS_KIB).
# CMD may be a shell function, run by a child bash: `export -f` it and everything it calls, and
# export the variables it reads. Wall time is bash's own clock (ms resolution; GNU time's %e has
# only 10 ms), CPU and RSS are GNU time's. The RSS is getrusage's ru_maxrss: for a command that
# starts other processes (a pipeline, GNU parallel) it is the peak of the largest single process,
# not the sum of those that ran at once. Exits the script if the command fails.
BENCH_LAST_RSS_KIB=0
bench_time_rss() {
  local gnu_time out rc start end user sys rss
  gnu_time="$(bench_gnu_time)"
  local -a cmd=("$@")
  if declare -F "$1" >/dev/null; then
    [[ -n "$(env | grep -m1 "^BASH_FUNC_$1%%=" || true)" ]] ||
      bench_die "bench_time_rss: shell function $1 is not exported (export -f $1)"
    cmd=(bash -c '"$@"' bench_time_rss "$@")
  fi
  out="$(mktemp)"
  start=$EPOCHREALTIME
  if "$gnu_time" -o "$out" -f '%U %S %M' "${cmd[@]}"; then rc=0; else rc=$?; fi
  end=$EPOCHREALTIME
  if ((rc != 0)); then
    rm -f "$out"
    bench_die "timed command failed (exit $rc): $*"
  fi
  read -r user sys rss < <(tail -n 1 "$out")
  rm -f "$out"
  # shellcheck disable=SC2034  # read by the scripts that source this file
  BENCH_LAST_RSS_KIB="$rss"
  BENCH_LAST_RUN="$(bench_calc "$end - $start") $user $sys $rss"
  printf '%s\n' "$BENCH_LAST_RUN"
}

# bench_mb KIB: kibibytes (as ru_maxrss counts) in MB of 10^6 bytes, 1 decimal.
bench_mb() { awk -v k="$1" 'BEGIN { printf "%.1f\n", k * 1024 / 1e6 }'; }

# --- synthetic WAV corpus (ingest.sh, validate.sh) -------------------------------------------

# make_variants BASE CLASS_DIR CLASS INDEX...: copies BASE to CLASS_DIR/clip_INDEX.wav and
# overwrites 4 KiB of its sample data (well past the header) with a unique tag plus random noise,
# so every file is a valid WAV with different bytes (hashing is real; no duplicate detection).
make_variants() {
  local base="$1" dir="$2" class="$3" i out
  shift 3
  for i in "$@"; do
    out="$(printf '%s/clip_%05d.wav' "$dir" "$i")"
    cp "$base" "$out"
    { printf 'clipset-bench %s %d ' "$class" "$i"; head -c 4096 /dev/urandom; } |
      dd of="$out" bs=4096 seek=1 count=1 iflag=fullblock conv=notrunc status=none
  done
}
export -f make_variants

# gen_class CORPUS CLASS FILES CLASSES SECONDS: one sox-generated base per class (its own
# frequencies and noise seed), then the class's variants.
gen_class() {
  local corpus="$1" c="$2" files="$3" classes="$4" seconds="$5"
  local class dir base f1 f2 i idx=()
  class="$(printf 'class_%02d' "$c")"
  dir="$corpus/$class"
  mkdir -p "$dir"
  base="$corpus/.base_$class.wav"
  f1=$((110 + 37 * c))
  f2=$((f1 * 3 / 2 + 7))
  sox -R -n -r 44100 -c 2 -b 16 -e signed-integer "$base" \
    synth "$seconds" sine "$f1" sine "$f2" synth pinknoise mix gain -6
  for ((i = c; i < files; i += classes)); do idx+=("$i"); done
  make_variants "$base" "$dir" "$class" "${idx[@]}"
  rm -f "$base"
}
export -f gen_class

# --- interleaved timing of several tools (ingest.sh, validate.sh) ----------------------------

# bench_interleaved_rounds RUNS FILE_LIST: times every function of the global FUNCS (named by
# NAMES in the log) RUNS times. Rounds interleave the tools, so slow drift (thermal, neighbours)
# spreads over all of them; the files of FILE_LIST (NUL-separated) are re-read, untimed, before
# each run to keep the page cache warm, and BENCH_BEFORE_EACH (a command, when set) runs untimed
# before each run (export.sh removes the last run's output). Fills the global associative arrays
# WALLS (the wall times), USERS and SYSS (CPU seconds summed over the rounds) and MEDIAN, keyed by
# function.
bench_interleaved_rounds() {
  local runs="$1" file_list="$2" round i fn wall user sys
  declare -gA WALLS USERS SYSS MEDIAN
  for fn in "${FUNCS[@]}"; do WALLS[$fn]=""; USERS[$fn]=0; SYSS[$fn]=0; done
  for ((round = 1; round <= runs; round++)); do
    for i in "${!FUNCS[@]}"; do
      fn="${FUNCS[$i]}"
      [[ -z "${BENCH_BEFORE_EACH:-}" ]] || "$BENCH_BEFORE_EACH"
      bench_cache_files "$file_list"
      bench_time_once "$fn" >/dev/null
      read -r wall user sys <<<"$BENCH_LAST_RUN"
      WALLS[$fn]+="$wall "
      USERS[$fn]="$(bench_calc "${USERS[$fn]} + $user")"
      SYSS[$fn]="$(bench_calc "${SYSS[$fn]} + $sys")"
      bench_log "round $round/$runs  ${NAMES[$i]}: ${wall} s (user $user, sys $sys)"
    done
  done
  for fn in "${FUNCS[@]}"; do
    # shellcheck disable=SC2086  # word-splitting the list of times is the point
    MEDIAN[$fn]="$(bench_median_of ${WALLS[$fn]})"
  done
}

# bench_quietness SINGLE_FN RUNS LOAD_START: the load average and, from a single-threaded tool's
# wall/cpu ratio, whether other processes competed for the CPU during the rounds.
bench_quietness() {
  local fn="$1" runs="$2" load="$3" cpu stretch
  cpu="$(bench_calc "(${USERS[$fn]} + ${SYSS[$fn]}) / $runs")"
  stretch="$(bench_ratio "${MEDIAN[$fn]}" "$cpu")"
  printf 'load avg:  %s at start (1, 5, 15 min)\n' "$load"
  printf 'quietness: single-process %s wall/cpu = %s (about 1.00 when nothing else competes)\n' "${fn#run_}" "$stretch"
  if bench_lt "$cpu" 1; then
    printf '           (too short a run to judge)\n'
  elif ! bench_le "$stretch" 1.10; then
    printf 'WARNING:   other processes took CPU during the run: wall times are inflated and parallel\n'
    printf '           speed-ups understated; the cpu column is the steadier measure. Re-run when quiet.\n'
  fi
}

# bench_files_table RUNS COUNT BYTES BASELINE_FN BASELINE_LABEL [RULE_FN]: one row per function of
# FUNCS: median seconds, files/s, MB/s, ratio to the baseline, CPU per run. A rule goes above
# RULE_FN (extras below the line).
bench_files_table() {
  local runs="$1" count="$2" bytes="$3" baseline="$4" label="$5" rule="${6:-}" i fn t
  bench_table_start "" "tool" "seconds" "files/s" "MB/s" "vs $label" "cpu s/run (user+sys)"
  for i in "${!FUNCS[@]}"; do
    fn="${FUNCS[$i]}"
    t="${MEDIAN[$fn]}"
    [[ -n "$rule" && "$fn" == "$rule" ]] && bench_table_rule
    bench_table_row "${NAMES[$i]}" "$t" \
      "$(awk -v n="$count" -v t="$t" 'BEGIN { printf "%.0f", n / t }')" \
      "$(awk -v b="$bytes" -v t="$t" 'BEGIN { printf "%.0f", b / 1e6 / t }')" \
      "$(bench_ratio "$t" "${MEDIAN[$baseline]}")x" \
      "$(awk -v u="${USERS[$fn]}" -v s="${SYSS[$fn]}" -v r="$runs" 'BEGIN { printf "%.2f+%.2f", u / r, s / r }')"
  done
  bench_table_end
}

# --- interleaved rounds -----------------------------------------------------------------------

# bench_rounds RUNS FILE FUNC...: RUNS rounds, each running every FUNC once in turn (interleaved,
# so slow drift and neighbours hit every tool alike) with bench_time_rss, FILE re-read untimed
# before each run (warm page cache; a FILE named *.files0 is a NUL-separated list of files, each
# of them re-read with bench_cache_files). FUNCs are exported shell functions. Sets, per FUNC:
# BENCH_MEDIAN (median wall seconds), BENCH_CPU ("user+sys" CPU seconds per run) and
# BENCH_RSS_KIB (the largest peak RSS of its runs).
declare -A BENCH_MEDIAN=() BENCH_CPU=() BENCH_RSS_KIB=()
bench_rounds() {
  local runs="$1" file="$2" round fn wall user sys rss
  shift 2
  local -A walls=() users=() syss=()
  for fn in "$@"; do walls[$fn]=""; users[$fn]=0; syss[$fn]=0; BENCH_RSS_KIB[$fn]=0; done
  for ((round = 1; round <= runs; round++)); do
    for fn in "$@"; do
      if [[ "$file" == *.files0 ]]; then bench_cache_files "$file"; else cat "$file" >/dev/null; fi
      bench_time_rss "$fn" >/dev/null
      read -r wall user sys rss <<<"$BENCH_LAST_RUN"
      walls[$fn]+="$wall "
      users[$fn]="$(bench_calc "${users[$fn]} + $user")"
      syss[$fn]="$(bench_calc "${syss[$fn]} + $sys")"
      ((rss > BENCH_RSS_KIB[$fn])) && BENCH_RSS_KIB[$fn]=$rss
      bench_log "round $round/$runs  $fn: $wall s (user $user, sys $sys, peak RSS $rss KiB)"
    done
  done
  for fn in "$@"; do
    # shellcheck disable=SC2086  # word-splitting the list of times is the point
    BENCH_MEDIAN[$fn]="$(bench_median_of ${walls[$fn]})"
    BENCH_CPU[$fn]="$(awk -v u="${users[$fn]}" -v s="${syss[$fn]}" -v r="$runs" 'BEGIN { printf "%.2f+%.2f", u / r, s / r }')"
  done
}
