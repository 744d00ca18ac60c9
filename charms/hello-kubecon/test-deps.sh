# Workload of the hello-kubecon charm's end-to-end test; sourced by scripts/install-test-deps.sh
# (which defines `step`, `GOBIN` and `REPO_ROOT`). Idempotent: a gosherve of the right version
# is only checked. The simulator's containers see the host system read-only, so gosherve runs
# from the host path its image has: /gosherve (a link to the binary in $GOBIN), which also
# outlives a refresh (a refresh gives each container a fresh writable layer, as a new pod).

GOSHERVE_VERSION=v0.3.7
GOSHERVE_MODULE=github.com/jnsgruk/gosherve/cmd/gosherve
GOSHERVE_SRC="$REPO_ROOT/../shared/third_party/gosherve-$GOSHERVE_VERSION"
# goreleaser sets the version this way upstream; without it `gosherve --version` says "dev".
GOSHERVE_LDFLAGS="-X main.version=$GOSHERVE_VERSION"

# The first line of `gosherve --version` (read whole: `| head -n 1` would make it die of SIGPIPE,
# which pipefail reports as a failure).
gosherve_version() {
  local out
  out=$("$1" --version 2>/dev/null) || return 0
  printf '%s' "${out%%$'\n'*}"
}

ensure_gosherve() {
  local bin="$GOBIN/gosherve"
  if [ "$(gosherve_version "$bin")" = "gosherve version $GOSHERVE_VERSION" ]; then
    step "gosherve $GOSHERVE_VERSION present ($bin)"
    return
  fi
  command -v go >/dev/null || { echo "[deps] Go is needed to build gosherve: install Go >= 1.22" >&2; exit 1; }
  # The upstream way first: where the module proxy refuses gosherve (403), this fails in < 1 s.
  if CGO_ENABLED=0 timeout 60 go install -trimpath -ldflags "$GOSHERVE_LDFLAGS" \
    "$GOSHERVE_MODULE@$GOSHERVE_VERSION" >/dev/null 2>&1; then
    step "installed gosherve $GOSHERVE_VERSION (go install $GOSHERVE_MODULE@$GOSHERVE_VERSION)"
    return
  fi
  if [ ! -f "$GOSHERVE_SRC/go.mod" ]; then
    echo "[deps] gosherve: go install $GOSHERVE_MODULE@$GOSHERVE_VERSION failed and $GOSHERVE_SRC is missing: put the shared third_party folder beside the repo" >&2
    exit 1
  fi
  step "building gosherve $GOSHERVE_VERSION from ../shared/third_party/gosherve-$GOSHERVE_VERSION into $bin (go install failed: the module proxy refuses it; about 30 s)"
  local tmp
  tmp=$(mktemp -d)
  # ../shared is read-only in CI: build from a copy. Its dependencies come from the module proxy.
  cp -R "$GOSHERVE_SRC/." "$tmp/src"
  mkdir -p "$GOBIN"
  # Built beside its final path and renamed: an interrupted build never leaves half a binary.
  (cd "$tmp/src" && CGO_ENABLED=0 go build -trimpath -ldflags "$GOSHERVE_LDFLAGS" \
    -o "$bin.partial" ./cmd/gosherve)
  mv "$bin.partial" "$bin"
  rm -rf "$tmp"
  [ "$(gosherve_version "$bin")" = "gosherve version $GOSHERVE_VERSION" ] || {
    echo "[deps] gosherve: $bin --version does not say $GOSHERVE_VERSION after the build" >&2
    exit 1
  }
}

ensure_gosherve_at_image_path() {
  local link=/gosherve
  if [ "$(readlink "$link" 2>/dev/null)" = "$GOBIN/gosherve" ]; then
    step "gosherve at its image path ($link -> $GOBIN/gosherve)"
    return
  fi
  if [ -e "$link" ] || [ -L "$link" ]; then
    echo "[deps] $link exists and is not ours: remove it, or link it to $GOBIN/gosherve" >&2
    exit 1
  fi
  step "linking $link -> $GOBIN/gosherve (the path gosherve's image has)"
  ln -s "$GOBIN/gosherve" "$link"
}

ensure_gosherve
ensure_gosherve_at_image_path
