# Workload of the hello-kubecon charm's end-to-end test; sourced by scripts/install-test-deps.sh
# (which defines `step`). Idempotent and quick.
# The e2e test copies gosherve into the gosherve container as /gosherve (its path in the image).
# When gosherve cannot be installed, the test runs the stand-in in e2e/gosherve-standin/ and
# says so in its output.

GOSHERVE_VERSION=v0.3.7

ensure_gosherve() {
  local bin="${GOBIN:-$HOME/go/bin}/gosherve"
  if command -v gosherve >/dev/null || [ -x "$bin" ]; then
    step "gosherve present ($(command -v gosherve || echo "$bin"))"
    return
  fi
  if command -v go >/dev/null \
    && timeout 60 go install "github.com/jnsgruk/gosherve/cmd/gosherve@$GOSHERVE_VERSION" >/dev/null 2>&1; then
    step "installed gosherve $GOSHERVE_VERSION (go install github.com/jnsgruk/gosherve/cmd/gosherve@$GOSHERVE_VERSION)"
    return
  fi
  step "gosherve $GOSHERVE_VERSION not installable here (go install failed): hello-kubecon's e2e test will use its gosherve stand-in"
}

ensure_gosherve
