#!/usr/bin/env bash
# Installs code-server (VS Code 1.100.3 in a browser) into .cache/code-server/ so that
# test/e2e/run.ts can run the extension inside a real VS Code without downloading one at
# test time.  Needs Node 20, build tools (make, g++, python3), and `apt-get install chromium
# ripgrep`.  Idempotent: does nothing when this version is already installed.
#   bash scripts/install-code-server.sh [--force]
set -euo pipefail

VERSION=4.100.3
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/.cache/code-server"
MARKER="$DEST/.installed-$VERSION"
PKG="$DEST/node_modules/code-server"
VSCODE="$PKG/lib/vscode"

fail() { echo "install-code-server: $*" >&2; exit 1; }
step() { echo "install-code-server: $*"; }

if [ "${1:-}" = "--force" ]; then rm -f "$MARKER"; fi
if [ -f "$MARKER" ] && [ -f "$PKG/out/node/entry.js" ]; then
  step "code-server $VERSION already installed in $DEST"
  exit 0
fi

command -v node >/dev/null || fail "node is not on PATH (Node 20 is required)"
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
[ "$NODE_MAJOR" = "20" ] || fail "code-server $VERSION needs Node 20, found $(node --version)"
command -v npm >/dev/null || fail "npm is not on PATH"
for tool in make g++ python3; do
  command -v "$tool" >/dev/null || fail "$tool is missing: native modules are compiled from source (apt-get install build-essential python3)"
done
RG="$(command -v rg || true)"
[ -n "$RG" ] || fail "ripgrep is missing: apt-get install ripgrep"
[ -x /usr/bin/chromium ] || echo "install-code-server: warning: /usr/bin/chromium is missing; the tests need it (apt-get install chromium)" >&2

# Compile native modules against the installed Node's headers instead of downloading them.
if [ -z "${npm_config_nodedir:-}" ] && [ -z "$(npm config get nodedir 2>/dev/null | grep -v '^undefined$' || true)" ]; then
  prefix="$(dirname "$(dirname "$(command -v node)")")"
  if [ -f "$prefix/include/node/node_version.h" ]; then export npm_config_nodedir="$prefix"; fi
fi
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

# No install scripts run: code-server's postinstall wants --unsafe-perm as root and downloads
# ripgrep; the native modules it needs are rebuilt explicitly below.
NPM=(npm --no-audit --no-fund --loglevel=error)

rm -rf "$DEST"
mkdir -p "$DEST"
# A package.json of its own keeps npm from installing into the repository's node_modules.
printf '{ "name": "code-server-host", "private": true }\n' > "$DEST/package.json"

step "installing code-server@$VERSION (about 320 MB, a few minutes)"
(cd "$DEST" && "${NPM[@]}" install --ignore-scripts --no-package-lock "code-server@$VERSION") \
  || fail "npm install code-server@$VERSION failed (is the npm registry reachable?)"
[ -f "$PKG/out/node/entry.js" ] || fail "code-server package is incomplete: $PKG/out/node/entry.js missing"

step "building argon2 from source"
(cd "$DEST" && "${NPM[@]}" rebuild argon2) || fail "building argon2 failed (needs make, g++, python3)"

step "installing VS Code's server dependencies"
(cd "$VSCODE" && "${NPM[@]}" install --omit=dev --ignore-scripts --no-package-lock) \
  || fail "npm install in $VSCODE failed"

step "building VS Code's native modules"
(cd "$VSCODE" && "${NPM[@]}" rebuild @vscode/spdlog node-pty native-watchdog @vscode/deviceid) \
  || fail "building VS Code's native modules failed (needs make, g++, python3)"

mkdir -p "$VSCODE/node_modules/@vscode/ripgrep/bin"
ln -sf "$RG" "$VSCODE/node_modules/@vscode/ripgrep/bin/rg"
ln -sfn node_modules "$VSCODE/node_modules.asar"
(cd "$VSCODE/bin/remote-cli" && ln -sf code-linux.sh code-server)
(cd "$VSCODE/bin/helpers" && ln -sf browser-linux.sh browser.sh)

step "installing the built-in extensions' dependencies"
(cd "$VSCODE/extensions" && "${NPM[@]}" install --omit=dev --ignore-scripts --no-package-lock) \
  || fail "npm install in $VSCODE/extensions failed"

ARGON2="$(node -p "require('path').dirname(require.resolve('argon2/package.json', { paths: ['$PKG'] }))")" \
  || fail "argon2 is not installed beside code-server"
for native in \
  "$ARGON2" \
  "$VSCODE/node_modules/@vscode/spdlog" \
  "$VSCODE/node_modules/node-pty" \
  "$VSCODE/node_modules/native-watchdog"; do
  find "$native" -name '*.node' -path '*Release*' | grep -q . || fail "native module not built: $native"
done

node "$PKG/out/node/entry.js" --version >/dev/null 2>&1 || fail "code-server does not start: node $PKG/out/node/entry.js --version failed"

touch "$MARKER"
step "code-server $VERSION installed in $DEST ($(du -sh "$DEST" | cut -f1))"
