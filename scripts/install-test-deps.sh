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

# charm-sim's pods: bubblewrap sandboxes in `ip netns` network namespaces (root only).
APT_UPDATED=
apt_install() {
  command -v apt-get >/dev/null || { echo "[deps] apt-get not found: install $* by hand" >&2; exit 1; }
  if [ -z "$APT_UPDATED" ]; then apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_bwrap() {
  if command -v bwrap >/dev/null; then step "bubblewrap present ($(command -v bwrap))"; return; fi
  step "installing bubblewrap (apt-get install -y bubblewrap)"
  apt_install bubblewrap
}

ensure_iproute2() {
  if command -v ip >/dev/null; then step "iproute2 present ($(command -v ip))"; return; fi
  step "installing iproute2 (apt-get install -y iproute2)"
  apt_install iproute2
}

# charm-sim's hook tools are a small C client, compiled by `pnpm build` (Node.js without one).
ensure_cc() {
  local cc
  for cc in "${CC:-}" cc gcc clang; do
    if [ -n "$cc" ] && command -v "$cc" >/dev/null; then step "C compiler present ($(command -v "$cc"))"; return; fi
  done
  step "installing a C compiler for charm-sim's hook tools (apt-get install -y gcc libc6-dev)"
  apt_install gcc libc6-dev
}

# The simulator's proof charm is written with Python ops, in a venv of its own.
OPS_VENV="${HOME}/.cache/charm-ts/venv"
ensure_python_ops() {
  if [ -x "$OPS_VENV/bin/python3" ] && "$OPS_VENV/bin/python3" -c 'import ops' 2>/dev/null; then
    step "python ops present ($OPS_VENV)"
    return
  fi
  if ! python3 -m venv --help >/dev/null 2>&1; then
    step "installing python3-venv (apt-get install -y python3-venv)"
    apt_install python3-venv
  fi
  step "installing ops into $OPS_VENV (python3 -m venv; pip install ops)"
  python3 -m venv "$OPS_VENV"
  "$OPS_VENV/bin/pip" install -q ops
}

# Canonical's charm libraries, for the Python `ops` test charms that stand on the other side of
# a relation in the charms' end-to-end tests: a local copy in $CHARM_LIBS_CACHE/lib (what
# `charmcraft fetch-lib` puts in a charm's lib/), and their PYDEPS in the ops venv.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHARM_LIBS_CACHE="${HOME}/.cache/charm-ts/charm-libs"
CHARM_LIBS_THIRD_PARTY="$REPO_ROOT/../shared/third_party/charm-libs/lib"
CHARM_LIBS=(
  charms.traefik_k8s.v2.ingress
  charms.data_platform_libs.v0.data_interfaces
  charms.grafana_k8s.v0.grafana_source
  charms.grafana_k8s.v0.grafana_dashboard
  charms.prometheus_k8s.v0.prometheus_scrape
)
# The libraries' PYDEPS (pydantic: ingress; cosl: the grafana and prometheus libraries).
CHARM_LIB_PYDEPS=(pydantic==2.14.4 cosl==1.11.3 pyyaml)

charm_lib_file() { printf '%s.py' "${1//.//}"; }

# The cache is current when every library is there and, for a copy of third_party, the same bytes.
charm_libs_current() {
  local lib file
  for lib in "${CHARM_LIBS[@]}"; do
    file=$(charm_lib_file "$lib")
    [ -f "$CHARM_LIBS_CACHE/lib/$file" ] || return 1
    if [ "$(cat "$CHARM_LIBS_CACHE/SOURCE" 2>/dev/null)" != charmcraft ]; then
      cmp -s "$CHARM_LIBS_CACHE/lib/$file" "$CHARM_LIBS_THIRD_PARTY/$file" || return 1
    fi
  done
}

# Moves a complete lib/ tree into the cache in one rename, so a reader never sees half of it.
install_charm_libs_from() {
  local from=$1 source=$2
  mkdir -p "$CHARM_LIBS_CACHE"
  rm -rf "$CHARM_LIBS_CACHE/lib.new" "$CHARM_LIBS_CACHE/lib.old"
  cp -R "$from" "$CHARM_LIBS_CACHE/lib.new"
  chmod -R u+w "$CHARM_LIBS_CACHE/lib.new"
  if [ -d "$CHARM_LIBS_CACHE/lib" ]; then mv "$CHARM_LIBS_CACHE/lib" "$CHARM_LIBS_CACHE/lib.old"; fi
  mv "$CHARM_LIBS_CACHE/lib.new" "$CHARM_LIBS_CACHE/lib"
  rm -rf "$CHARM_LIBS_CACHE/lib.old"
  printf '%s\n' "$source" >"$CHARM_LIBS_CACHE/SOURCE"
}

fetch_charm_libs_with_charmcraft() {
  command -v charmcraft >/dev/null || return 1
  local tmp lib
  tmp=$(mktemp -d)
  printf 'name: charm-libs-fetch\ntype: charm\n' >"$tmp/charmcraft.yaml"
  if ! (cd "$tmp" && timeout 60 charmcraft fetch-lib "${CHARM_LIBS[@]}" >/dev/null 2>&1); then
    rm -rf "$tmp"
    return 1
  fi
  for lib in "${CHARM_LIBS[@]}"; do
    [ -f "$tmp/lib/$(charm_lib_file "$lib")" ] || { rm -rf "$tmp"; return 1; }
  done
  install_charm_libs_from "$tmp/lib" charmcraft
  rm -rf "$tmp"
}

ensure_charm_libs() {
  if charm_libs_current; then
    step "charm libraries present ($CHARM_LIBS_CACHE/lib, from $(cat "$CHARM_LIBS_CACHE/SOURCE"))"
    return
  fi
  if fetch_charm_libs_with_charmcraft; then
    step "fetched the charm libraries into $CHARM_LIBS_CACHE/lib (charmcraft fetch-lib ${CHARM_LIBS[*]})"
    return
  fi
  if [ ! -d "$CHARM_LIBS_THIRD_PARTY" ]; then
    echo "[deps] charm libraries: charmcraft fetch-lib is not available or failed, and $CHARM_LIBS_THIRD_PARTY is missing: install charmcraft, or put the shared third_party folder beside the repo" >&2
    exit 1
  fi
  install_charm_libs_from "$CHARM_LIBS_THIRD_PARTY" third_party
  step "copied the charm libraries into $CHARM_LIBS_CACHE/lib (from ../shared/third_party/charm-libs/lib; charmcraft fetch-lib $(command -v charmcraft >/dev/null && echo failed || echo 'is not installed'))"
}

ensure_charm_lib_pydeps() {
  if "$OPS_VENV/bin/python3" -c 'import pydantic, cosl, yaml; assert pydantic.VERSION.startswith("2.")' 2>/dev/null; then
    step "charm library PYDEPS present in $OPS_VENV (pydantic, cosl, pyyaml)"
    return
  fi
  step "installing the charm libraries' PYDEPS into $OPS_VENV (pip install ${CHARM_LIB_PYDEPS[*]})"
  "$OPS_VENV/bin/pip" install -q "${CHARM_LIB_PYDEPS[@]}"
}

# charmcraft's own linter (`charmcraft analyse`) checks every .charm the repo packs, from PyPI
# in a venv of its own.
CHARMCRAFT_VERSION=4.5.0
CHARMCRAFT_VENV="${HOME}/.cache/charm-ts/charmcraft-venv"
ensure_charmcraft() {
  if [ "$("$CHARMCRAFT_VENV/bin/python3" -c 'import importlib.metadata as m; print(m.version("charmcraft"))' 2>/dev/null)" = "$CHARMCRAFT_VERSION" ]; then
    step "charmcraft $CHARMCRAFT_VERSION present ($CHARMCRAFT_VENV)"
    return
  fi
  if ! python3 -m venv --help >/dev/null 2>&1; then
    step "installing python3-venv (apt-get install -y python3-venv)"
    apt_install python3-venv
  fi
  step "installing charmcraft $CHARMCRAFT_VERSION into $CHARMCRAFT_VENV (python3 -m venv; pip install charmcraft==$CHARMCRAFT_VERSION)"
  python3 -m venv "$CHARMCRAFT_VENV"
  "$CHARMCRAFT_VENV/bin/pip" install -q "charmcraft==$CHARMCRAFT_VERSION"
}

# The charms' integration tests are written for a real Juju with jubilant (Canonical's Juju CLI
# wrapper) and pytest, and run against charm-sim's `juju` shim: both from PyPI, pinned, in a
# venv of their own (versions also in tools/sim/src/jubilant.ts).
JUBILANT_VERSION=1.14.0
PYTEST_VERSION=9.2.0
JUBILANT_VENV="${HOME}/.cache/charm-ts/jubilant-venv"
ensure_jubilant() {
  if [ "$("$JUBILANT_VENV/bin/python3" -c 'import importlib.metadata as m; print(m.version("jubilant"), m.version("pytest"))' 2>/dev/null)" = "$JUBILANT_VERSION $PYTEST_VERSION" ]; then
    step "jubilant $JUBILANT_VERSION and pytest $PYTEST_VERSION present ($JUBILANT_VENV)"
    return
  fi
  if ! python3 -m venv --help >/dev/null 2>&1; then
    step "installing python3-venv (apt-get install -y python3-venv)"
    apt_install python3-venv
  fi
  step "installing jubilant $JUBILANT_VERSION and pytest $PYTEST_VERSION into $JUBILANT_VENV (python3 -m venv; pip install jubilant==$JUBILANT_VERSION pytest==$PYTEST_VERSION)"
  python3 -m venv "$JUBILANT_VENV"
  "$JUBILANT_VENV/bin/pip" install -q "jubilant==$JUBILANT_VERSION" "pytest==$PYTEST_VERSION"
}

# The packer's tests read .charm files back with Info-ZIP's unzip, as a second opinion.
ensure_unzip() {
  if command -v unzip >/dev/null; then step "unzip present ($(command -v unzip))"; return; fi
  step "installing unzip (apt-get install -y unzip)"
  apt_install unzip
}

# The API reference test opens docs/api/ in Debian's Chromium, driven by playwright-core from npm
# (no browser is ever downloaded: the machine's network is closed).
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then step "chromium present (/usr/bin/chromium)"; return; fi
  step "installing chromium (apt-get install -y chromium)"
  apt_install chromium
}

ensure_pnpm
ensure_pebble
ensure_unzip
ensure_chromium
ensure_bwrap
ensure_iproute2
ensure_cc
ensure_python_ops
ensure_charm_libs
ensure_charm_lib_pydeps
ensure_charmcraft
ensure_jubilant

# Each charm installs the workloads of its end-to-end tests from its own test-deps.sh, sourced
# here so it can use step and apt_install (see charms/snappass/test-deps.sh).
for charm_deps in "$(dirname "$0")"/../charms/*/test-deps.sh; do
  if [ -f "$charm_deps" ]; then
    # shellcheck source=/dev/null
    source "$charm_deps"
  fi
done
