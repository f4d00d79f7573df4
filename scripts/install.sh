#!/bin/sh
# Installs a released hindsight binary: downloads the archive built for this
# platform, checks it against its published SHA-256, and puts `hindsight`
# into a folder. Takes seconds where `cargo install` compiles for minutes.
#
#   sh install.sh [--version X.Y.Z|latest] [--to DIR] [--target TRIPLE]
#   sh install.sh --print-target        # the archive this platform gets
#
# Environment (the options win):
#   HINDSIGHT_VERSION       version to install (default: latest)
#   HINDSIGHT_INSTALL_DIR   folder to install into (default: ~/.local/bin)
#   HINDSIGHT_REPO          GitHub repository of the releases
#                           (default: hindsight-rca/hindsight)
#   HINDSIGHT_DOWNLOAD_URL  folder that holds the release's files, for a
#                           mirror or a local test: the script fetches
#                           $HINDSIGHT_DOWNLOAD_URL/hindsight-<target>.tar.gz
#                           and the same name + .sha256 (default: the
#                           GitHub release of the version)
#
# A release holds, for each target, `hindsight-<target>.tar.gz` (`.zip` on
# Windows) with `hindsight-<target>/hindsight` inside, and a file of the
# same name + `.sha256` whose first word is the archive's hash: the layout
# the release workflow (.github/workflows/release.yml) publishes.
set -eu

version=${HINDSIGHT_VERSION:-latest}
dest=${HINDSIGHT_INSTALL_DIR:-${HOME:-.}/.local/bin}
repo=${HINDSIGHT_REPO:-hindsight-rca/hindsight}
url=${HINDSIGHT_DOWNLOAD_URL:-}
target=
print_target=

die() {
  echo "install.sh: $*" >&2
  exit 1
}

while [ $# -gt 0 ]; do
  case $1 in
    --version) [ $# -ge 2 ] || die "--version needs a value"; version=$2; shift 2 ;;
    --to) [ $# -ge 2 ] || die "--to needs a folder"; dest=$2; shift 2 ;;
    --target) [ $# -ge 2 ] || die "--target needs a triple"; target=$2; shift 2 ;;
    --print-target) print_target=1; shift ;;
    -h | --help) sed -n '2,24p' "$0"; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

detect_target() {
  os=$(uname -s)
  arch=$(uname -m)
  case $arch in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) die "no released binary for CPU $arch: install from source with cargo install --locked hindsight" ;;
  esac
  case $os in
    Linux) echo "$arch-unknown-linux-musl" ;;
    Darwin) echo "$arch-apple-darwin" ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT) echo "x86_64-pc-windows-msvc" ;;
    *) die "no released binary for $os: install from source with cargo install --locked hindsight" ;;
  esac
}

[ -n "$target" ] || target=$(detect_target)
if [ -n "$print_target" ]; then
  echo "$target"
  exit 0
fi

case $target in
  *windows*) ext=zip; exe=.exe ;;
  *) ext=tar.gz; exe= ;;
esac
archive=hindsight-$target.$ext

if [ -z "$url" ]; then
  case $version in
    latest) url=https://github.com/$repo/releases/latest/download ;;
    v*) url=https://github.com/$repo/releases/download/$version ;;
    *) url=https://github.com/$repo/releases/download/v$version ;;
  esac
fi
url=${url%/}

fetch() { # URL FILE
  if command -v curl >/dev/null 2>&1; then
    curl --proto '=https,http' --fail --silent --show-error --location --retry 3 --output "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget --quiet --tries=3 --output-document="$2" "$1"
  else
    die "needs curl or wget to download"
  fi
}

sha256_of() { # FILE
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  elif command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 -r "$1" | cut -d ' ' -f 1
  else
    die "needs sha256sum, shasum or openssl to verify the download"
  fi
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hindsight-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

echo "downloading $url/$archive" >&2
fetch "$url/$archive" "$tmp/$archive" || die "could not download $url/$archive"
fetch "$url/$archive.sha256" "$tmp/$archive.sha256" || die "could not download $url/$archive.sha256"

expected=$(tr -d '\r' <"$tmp/$archive.sha256" | awk 'NR == 1 { print tolower($1) }')
actual=$(sha256_of "$tmp/$archive")
case $expected in
  *[!0-9a-f]* | "") die "$archive.sha256 holds no SHA-256 hash" ;;
esac
[ "$expected" = "$actual" ] || die "checksum mismatch for $archive: expected $expected, got $actual"

mkdir "$tmp/x"
case $ext in
  zip) (cd "$tmp/x" && { unzip -q "../$archive" 2>/dev/null || tar -xf "../$archive"; }) ;;
  *) tar -xzf "$tmp/$archive" -C "$tmp/x" ;;
esac || die "could not unpack $archive"

bin=
for candidate in "$tmp/x/hindsight-$target/hindsight$exe" "$tmp/x/hindsight$exe"; do
  if [ -f "$candidate" ]; then bin=$candidate; break; fi
done
[ -n "$bin" ] || die "$archive holds no hindsight$exe"

mkdir -p "$dest"
# Copy beside the destination first, then rename: a running hindsight or a
# concurrent install never sees a half-written file.
cp "$bin" "$dest/.hindsight$exe.part"
chmod 755 "$dest/.hindsight$exe.part"
mv -f "$dest/.hindsight$exe.part" "$dest/hindsight$exe"
installed=$("$dest/hindsight$exe" --version) || die "the installed $dest/hindsight$exe does not run"
echo "installed $installed to $dest/hindsight$exe" >&2
case ":${PATH:-}:" in
  *":$dest:"*) ;;
  *) echo "note: $dest is not on PATH" >&2 ;;
esac
