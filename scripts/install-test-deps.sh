#!/usr/bin/env bash
# Installs what the test suite needs, only when it is missing: quick and idempotent.
# Each step prints one line; a failure names the step and the command that would fix it.
set -euo pipefail

PNPM_VERSION=12.4.2
PEBBLE_VERSION=v1.32.1
export GOBIN="${GOBIN:-$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin}"
export PATH="$GOBIN:$PATH"

step() { printf '[deps] %s\n' "$*"; }

ensure_pnpm() {
  if [ "$(pnpm --version 2>/dev/null || true)" = "$PNPM_VERSION" ]; then
    step "pnpm $PNPM_VERSION present"
    return
  fi
  step "installing pnpm $PNPM_VERSION (npm install -g pnpm@$PNPM_VERSION)"
  npm install -g --allow-scripts=pnpm "pnpm@$PNPM_VERSION" >/dev/null 2>&1 \
    || npm install -g "pnpm@$PNPM_VERSION" >/dev/null
}

ensure_pebble() {
  if "$GOBIN/pebble" version --client 2>/dev/null | grep -qx "$PEBBLE_VERSION"; then
    step "pebble $PEBBLE_VERSION present ($GOBIN/pebble)"
    return
  fi
  command -v go >/dev/null || { echo "[deps] Go is needed to build pebble: install Go >= 1.24" >&2; exit 1; }
  step "installing pebble $PEBBLE_VERSION (go install github.com/canonical/pebble/cmd/pebble@$PEBBLE_VERSION)"
  if ! go install "github.com/canonical/pebble/cmd/pebble@$PEBBLE_VERSION" 2>/dev/null; then
    # Some module proxies refuse the version list that `go install pkg@version` reads for its
    # deprecation check; building from a throwaway module asks only for the exact version.
    local tmp
    tmp=$(mktemp -d)
    (cd "$tmp" && go mod init pebble-build >/dev/null 2>&1 \
      && go get "github.com/canonical/pebble/cmd/pebble@$PEBBLE_VERSION" >/dev/null 2>&1 \
      && go build -o "$GOBIN/pebble" github.com/canonical/pebble/cmd/pebble)
    rm -rf "$tmp"
  fi
  "$GOBIN/pebble" version --client | grep -qx "$PEBBLE_VERSION"
}

ensure_pnpm
ensure_pebble
