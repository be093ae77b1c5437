#!/usr/bin/env bash
# cmake --install from the build folder that runs this test into a temporary prefix, then: a
# program built against the library with find_package and with pkg-config runs; `man -l` renders
# every man page, one per subcommand page in docs/; bash completes subcommands, options and their
# values from the installed script (and zsh accepts its script, where zsh is installed).
# Usage: install_test.sh BUILD_DIR SOURCE_DIR WORK_DIR CXX_COMPILER BUILD_TYPE
set -euo pipefail
build=$1 source=$2 work=$3 cxx=$4 build_type=${5:-Debug}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prefix=$work/prefix
fail() { echo "install_test: $*" >&2; exit 1; }
skips=()

rm -rf -- "$work"
mkdir -p "$work"
cmake --install "$build" --prefix "$prefix" >"$work/install.log" || fail "cmake --install failed (see $work/install.log)"
[ -x "$prefix/bin/clipset" ] || fail "no bin/clipset in the installed tree"
"$prefix/bin/clipset" --version | grep -q '^clipset ' || fail "the installed clipset --version printed no version"

# The library, with find_package(clipset) -> clipset::core.
libdir=$(dirname "$(find "$prefix" -name clipset.pc -path '*/pkgconfig/*' | head -n 1)")
[ -f "$libdir/clipset.pc" ] || fail "no pkgconfig/clipset.pc in the installed tree"
cmake -S "$here" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_BUILD_TYPE="$build_type" >"$work/consumer.log" 2>&1 || { cat "$work/consumer.log" >&2; fail "find_package(clipset) failed"; }
cmake --build "$work/consumer" >>"$work/consumer.log" 2>&1 || { cat "$work/consumer.log" >&2; fail "building against clipset::core failed"; }
check_consumer() {
  local output
  output=$("$1") || fail "$2: the program exited $?"
  grep -qx 'dog_1 dog 16000' <<<"$output" || fail "$2: unexpected output: $output"
  grep -q '^libsndfile' <<<"$output" || fail "$2: no libsndfile version in: $output"
}
check_consumer "$work/consumer/consumer" "find_package"

# The library, with pkg-config.
export PKG_CONFIG_PATH=$libdir
# shellcheck disable=SC2046  # pkg-config's flags are words
"$cxx" -std=c++20 "$here/consumer.cpp" -o "$work/consumer-pc" $(pkg-config --cflags --libs clipset) \
  || fail "building with pkg-config --cflags --libs clipset failed"
check_consumer "$work/consumer-pc" "pkg-config"

# Man pages: clipset(1), clipset-manifest(5), and clipset-<cmd>(1) for every docs/<cmd>.md titled
# "# clipset <cmd>".
man_dir=$prefix/share/man
if [ -d "$man_dir/man1" ]; then
  expected=(man1/clipset.1 man5/clipset-manifest.5)
  for page in "$source"/docs/*.md; do
    command=$(sed -n '1s/^# clipset \([a-z][a-z0-9-]*\)$/\1/p' "$page")
    [ -n "$command" ] && expected+=("man1/clipset-$command.1")
  done
  for page in "${expected[@]}"; do
    [ -f "$man_dir/$page" ] || fail "no man page $page installed"
  done
  for page in "$man_dir"/man*/*; do
    name=$(basename "$page"); name=${name%.*}
    rendered=$(MANWIDTH=100 man -l "$page" 2>"$work/man.err") || fail "man -l $page failed: $(cat "$work/man.err")"
    # Wide tables make troff say it cannot break or adjust a line; anything else is a fault.
    if grep -v -E "can't break line|cannot adjust line|table wider than line width|table text block will not fit|^warning: file '<standard input>', around line" \
         "$work/man.err" | grep -q .; then
      fail "man -l $page: $(cat "$work/man.err")"
    fi
    grep -q '^NAME' <<<"$rendered" || fail "$page: no NAME section"
    grep -qE "^ *$name +- " <<<"$rendered" || fail "$page: its NAME line is not '$name - ...'"
  done
  # clipset(1) lists every subcommand page.
  for page in "${expected[@]:2}"; do
    name=$(basename "$page" .1)
    MANWIDTH=100 man -l "$man_dir/man1/clipset.1" 2>/dev/null | grep -q "$name(1)" || fail "clipset(1) does not name $name(1)"
  done
else
  skips+=("pandoc was not found when the build was configured, so no man pages were installed")
fi

# bash: the installed script, loaded as bash-completion would, completing as <TAB> would.
bash_script=$prefix/share/bash-completion/completions/clipset
[ -f "$bash_script" ] || fail "no bash completion installed"
complete_words() {
  bash --norc --noprofile -c 'source "$1"; shift; complete -p clipset >/dev/null || exit 9
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _clipset; printf "%s\n" "${COMPREPLY[@]}"' _ "$bash_script" "$@"
}
[ "$(complete_words clipset seg)" = segment ] || fail "clipset seg<TAB> gave: $(complete_words clipset seg)"
[ "$(complete_words clipset segment --res)" = --resampler ] || fail "clipset segment --res<TAB> gave: $(complete_words clipset segment --res)"
[ "$(complete_words clipset split --progress a | sort | tr '\n' ' ')" = "always auto " ] \
  || fail "clipset split --progress a<TAB> gave: $(complete_words clipset split --progress a)"
# --resampler=l<TAB>: bash splits the word at '=' (COMP_WORDBREAKS).
[ "$(complete_words clipset segment --resampler = l)" = libsamplerate ] || fail "clipset segment --resampler=l<TAB> gave: $(complete_words clipset segment --resampler = l)"
[ "$(complete_words clipset help le)" = learning-curve ] || fail "clipset help le<TAB> gave: $(complete_words clipset help le)"
# Every subcommand that has a docs page completes, and none that is hidden.
subcommands=$(complete_words clipset '')
for page in "${expected[@]:2}"; do
  command=$(basename "$page" .1); command=${command#clipset-}
  grep -qx "$command" <<<"$subcommands" || fail "clipset <TAB> does not offer $command"
done
! grep -q '^__' <<<"$subcommands" || fail "clipset <TAB> offers a hidden subcommand"

zsh_script=$prefix/share/zsh/vendor-completions/_clipset
[ -f "$zsh_script" ] || fail "no zsh completion installed"
if command -v zsh >/dev/null 2>&1; then
  zsh -n "$zsh_script" || fail "zsh refuses $zsh_script"
  grep -q -- "--resampler=\[.*\]:.*:(soxr libsamplerate)" "$zsh_script" || fail "$zsh_script: --resampler has no choices"
else
  skips+=("zsh is not installed: its completion script was not parsed")
fi

if [ ${#skips[@]} -gt 0 ]; then
  printf 'install_test: skipped in part: %s\n' "${skips[@]}" >&2
  exit 77
fi
echo "install_test: installed tree, find_package, pkg-config, man pages and completions all work" >&2
