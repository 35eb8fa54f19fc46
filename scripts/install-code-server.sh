#!/usr/bin/env bash
# Installs code-server (a real VS Code whose extension host is plain Node) for the end-to-end tests,
# from the npm registry only. Idempotent: does nothing when the pinned version is already there.
# Usage: scripts/install-code-server.sh [DEST]   (default: .e2e/code-server in the repository root)
# Needs the Debian packages chromium ripgrep libkrb5-dev libxkbfile-dev libsecret-1-dev (.ci/run installs them).
# Adapted from /work/shared/recipes/vscode-e2e/install-code-server.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST=${1:-$ROOT/.e2e/code-server}
VER=4.100.3          # VS Code 1.100.3, the last code-server release that runs on Node 20
RG_PKG_VER=1.15.11   # the @vscode/ripgrep version code-server 4.100.3 pins
RG_TAG=v13.0.0-10    # the ripgrep build that version downloads

installed_version() {
  node -p "require('$DEST/node_modules/code-server/package.json').version" 2>/dev/null || true
}

mkdir -p "$DEST"
# One installer at a time per destination (parallel test runs may both find it missing).
exec 9>"$DEST.lock"
flock 9
if [ "$(installed_version)" = "$VER" ] && [ -x "$DEST/node_modules/.bin/code-server" ]; then
  echo "code-server $VER already installed in $DEST"
  exit 0
fi
command -v rg >/dev/null || { echo "ripgrep (rg) is missing: apt-get install ripgrep" >&2; exit 1; }

TMPD=$(mktemp -d)
trap 'rm -rf "$TMPD"' EXIT
# @vscode/ripgrep's postinstall downloads rg; it looks in $TMPDIR/vscode-ripgrep-cache-<ver>/ first.
mkdir -p "$TMPD/vscode-ripgrep-cache-$RG_PKG_VER" "$TMPD/rg"
cp "$(command -v rg)" "$TMPD/rg/rg"
tar czf "$TMPD/vscode-ripgrep-cache-$RG_PKG_VER/ripgrep-$RG_TAG-x86_64-unknown-linux-musl.tar.gz" -C "$TMPD/rg" rg
cd "$DEST"
[ -f package.json ] || echo '{"name":"code-server-for-tests","private":true}' > package.json
# unsafe_perm: its postinstall refuses to run as root otherwise; yes: node-pty's postinstall runs npx.
TMPDIR=$TMPD npm_config_unsafe_perm=true npm_config_yes=true \
  npm install --no-audit --no-fund --no-save --loglevel=error "code-server@$VER"
echo "code-server $(installed_version) installed in $DEST"
