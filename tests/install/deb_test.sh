#!/usr/bin/env bash
# cpack -G DEB from the build folder that runs this test: the .deb's control fields (Depends from
# dpkg-shlibdeps, Maintainer, Section, Description), and the package unpacked into an empty root
# runs `clipset --version` and holds the man pages, completions and library it should.
# Usage: deb_test.sh BUILD_DIR WORK_DIR
set -euo pipefail
build=$1 work=$2
fail() { echo "deb_test: $*" >&2; exit 1; }
for tool in cpack dpkg-deb dpkg-shlibdeps; do
  command -v "$tool" >/dev/null 2>&1 || { echo "deb_test: $tool is not installed (dpkg-dev)" >&2; exit 77; }
done

rm -rf -- "$work"
mkdir -p "$work"
# Uncompressed: a test build's archives and binary carry debug information and sanitizers
# (hundreds of MB), and what is checked does not depend on the compression.
(cd "$work" && cpack -G DEB -D CPACK_DEBIAN_COMPRESSION_TYPE=none --config "$build/CPackConfig.cmake" -B "$work/out") >"$work/cpack.log" 2>&1 \
  || { cat "$work/cpack.log" >&2; fail "cpack -G DEB failed"; }
deb=$(find "$work/out" -maxdepth 1 -name 'clipset_*.deb' | head -n 1)
[ -n "$deb" ] || fail "cpack wrote no clipset_*.deb (see $work/cpack.log)"

info=$(dpkg-deb -I "$deb")
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = clipset ] || fail "Package is '$(field Package)'"
[ "$(field Section)" = sound ] || fail "Section is '$(field Section)'"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
grep -q '^ Description: turn folders of recordings' <<<"$info" || fail "no Description: $info"
depends=$(field Depends)
# dpkg-shlibdeps names the packages of the libraries the binary links, with versions.
for library in 'libc6 (>= ' 'libsndfile1 (>= ' 'libsoxr0 (>= ' 'libavformat59 (>= ' 'libsimdjson14 (>= ' 'libarchive13 (>= ' 'libssl3 (>= '; do
  grep -qF "$library" <<<"$depends" || fail "Depends lacks ${library% (>= }: $depends"
done
grep -q -- '-dev' <<<"$depends" && fail "Depends names a -dev package: $depends"

root=$work/root
dpkg-deb -x "$deb" "$root"
version=$("$root/usr/bin/clipset" --version) || fail "the unpacked clipset --version exited $?"
grep -q '^clipset [0-9]' <<<"$version" || fail "unexpected --version output: $version"
for file in usr/share/man/man1/clipset.1 usr/share/man/man1/clipset-segment.1 usr/share/man/man5/clipset-manifest.5 \
            usr/share/bash-completion/completions/clipset usr/share/zsh/vendor-completions/_clipset \
            usr/include/clipset/manifest.hpp; do
  [ -f "$root/$file" ] || { [[ $file == */man/* ]] && [ ! -d "$build/man" ]; } || fail "the package lacks /$file"
done
find "$root" -name clipset.pc | grep -q . || fail "the package lacks clipset.pc"
find "$root" -name clipsetConfig.cmake | grep -q . || fail "the package lacks clipsetConfig.cmake"
echo "deb_test: $(basename "$deb"): Depends: $depends" >&2
rm -rf -- "$work"  # hundreds of MB in a test build
