#!/usr/bin/env bash
# Builds the FerretDB binary that the MongoDB read-model suites run against (a MongoDB-wire
# server with an SQLite backend, see test/support/ferretdb.ts), once, into a cache outside the
# repository:
#   ${FERRETDB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/one-million-initiatives}/ferretdb-<version>/ferretdb
# The version is the one pinned by go.mod/go.sum next to this script. When the binary is already
# there, nothing is built. The binary's path is printed on stdout as the last line; build output
# goes to stderr.
#
# Why not a plain `go build github.com/FerretDB/FerretDB/cmd/ferretdb`: FerretDB 1.x embeds
# build/version/version.txt, which its release tooling generates and which is absent from the
# module zip; a binary built straight from the module cache panics at start-up ("Invalid
# build/version/version.txt file content"), and `go build -overlay` refuses to patch files in
# GOMODCACHE. So the (go.sum-verified) module source is copied to a scratch dir, version.txt is
# written there, and the command is built from that copy (its own go.mod/go.sum pin the deps).
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
module="github.com/FerretDB/FerretDB"

die() {
  echo "ensure-ferretdb: $*" >&2
  exit 1
}

command -v go >/dev/null 2>&1 ||
  die "the Go toolchain ('go', >= 1.24) is not on PATH; it is needed to build FerretDB for the MongoDB suites (or set FERRETDB_BIN to a FerretDB binary, or MONGO_URL to a real MongoDB)."

# Version pinned in go.mod (e.g. v1.24.2); resolved without touching the network.
version="$(cd "$script_dir" && go list -m -f '{{.Version}}' "$module" 2>/dev/null)" ||
  version="$(awk -v m="$module" '$1 == m { print $2; exit } $2 == m { print $3; exit }' "$script_dir/go.mod")"
[[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "cannot read the pinned $module version from $script_dir/go.mod (got '$version')."

cache_root="${FERRETDB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/one-million-initiatives}"
target_dir="$cache_root/ferretdb-$version"
target="$target_dir/ferretdb"

if [[ -x "$target" ]]; then
  echo "$target"
  exit 0
fi

mkdir -p "$target_dir" || die "cannot create the cache directory $target_dir."
work="$(mktemp -d "${TMPDIR:-/tmp}/ferretdb-build.XXXXXX")"
trap 'chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"' EXIT

echo "ensure-ferretdb: building FerretDB $version into $target (one-off, takes about a minute)..." >&2

# Download (and verify against go.sum) the pinned module source.
src="$(cd "$script_dir" && go mod download -json "$module" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')" ||
  die "'go mod download $module' failed (no network / GOPROXY?)."
[[ -n "$src" && -d "$src" ]] || die "'go mod download $module' did not report a source directory."

cp -R "$src" "$work/src"
chmod -R u+w "$work/src"
printf '%s\n' "$version" >"$work/src/build/version/version.txt"
printf '%s\n' "one-million-initiatives-test" >"$work/src/build/version/package.txt"

# Build into the scratch dir, then move into place atomically so that a concurrent or interrupted
# run never leaves a half-written binary at $target.
if ! (cd "$work/src" && GOFLAGS="${GOFLAGS:-} -buildvcs=false -mod=mod" go build -trimpath -o "$work/ferretdb" ./cmd/ferretdb) >&2; then
  die "building FerretDB $version failed (see the go output above)."
fi
"$work/ferretdb" --version >/dev/null 2>&1 || die "the freshly built FerretDB binary does not run ($work/ferretdb --version failed)."

mv -f "$work/ferretdb" "$target.tmp.$$"
mv -f "$target.tmp.$$" "$target"
echo "ensure-ferretdb: built $target" >&2
echo "$target"
