# Workload of the grafana charm's end-to-end test; sourced by scripts/install-test-deps.sh
# (which defines `step`, `apt_install` and `REPO_ROOT`). Idempotent.
#
# Grafana itself cannot be installed here (not in Debian; its Go module is under the AGPL), so
# the test runs a STAND-IN: charms/grafana/e2e/grafana-standin/grafana_server.py, a Python
# program that checks what Grafana would check and serves the part of its API the test reads.
# It is copied with a venv of its own (PyYAML, psycopg) under ~/.cache/charm-ts and put on PATH
# as /usr/local/bin/grafana-server, the command the charm's layer runs (the simulator's
# containers see the host system read-only).

GRAFANA_STANDIN_SRC="$REPO_ROOT/charms/grafana/e2e/grafana-standin/grafana_server.py"
GRAFANA_STANDIN_DIR="${HOME}/.cache/charm-ts/grafana-standin"
GRAFANA_STANDIN_VENV="$GRAFANA_STANDIN_DIR/venv"
GRAFANA_STANDIN_PYDEPS=(pyyaml==6.0.2 "psycopg[binary]==3.3.9")

ensure_grafana_standin_venv() {
  if "$GRAFANA_STANDIN_VENV/bin/python3" -c 'import yaml, psycopg' 2>/dev/null; then
    step "grafana stand-in venv present ($GRAFANA_STANDIN_VENV: pyyaml, psycopg)"
    return
  fi
  if ! python3 -m venv --help >/dev/null 2>&1; then
    step "installing python3-venv (apt-get install -y python3-venv)"
    apt_install python3-venv
  fi
  step "installing the grafana stand-in's venv ($GRAFANA_STANDIN_VENV: pip install ${GRAFANA_STANDIN_PYDEPS[*]})"
  rm -rf "$GRAFANA_STANDIN_VENV"
  python3 -m venv "$GRAFANA_STANDIN_VENV"
  "$GRAFANA_STANDIN_VENV/bin/pip" install -q "${GRAFANA_STANDIN_PYDEPS[@]}"
}

ensure_grafana_standin() {
  local wrapper="$GRAFANA_STANDIN_DIR/grafana-server" link=/usr/local/bin/grafana-server
  local want_wrapper
  want_wrapper=$(printf '#!/bin/sh\n# A STAND-IN for grafana-server (charm-ts e2e), not Grafana.\nexec %s %s "$@"\n' \
    "$GRAFANA_STANDIN_VENV/bin/python3" "$GRAFANA_STANDIN_DIR/grafana_server.py")
  if cmp -s "$GRAFANA_STANDIN_SRC" "$GRAFANA_STANDIN_DIR/grafana_server.py" \
    && [ "$(cat "$wrapper" 2>/dev/null)" = "$want_wrapper" ] \
    && [ "$(readlink "$link" 2>/dev/null)" = "$wrapper" ]; then
    step "grafana stand-in present ($link -> $wrapper)"
    return
  fi
  if { [ -e "$link" ] || [ -L "$link" ]; } && [ "$(readlink "$link" 2>/dev/null)" != "$wrapper" ]; then
    echo "[deps] $link exists and is not the stand-in: remove it, or link it to $wrapper" >&2
    exit 1
  fi
  step "installing the grafana stand-in (charms/grafana/e2e/grafana-standin) as $link"
  mkdir -p "$GRAFANA_STANDIN_DIR"
  cp "$GRAFANA_STANDIN_SRC" "$GRAFANA_STANDIN_DIR/grafana_server.py.new"
  mv "$GRAFANA_STANDIN_DIR/grafana_server.py.new" "$GRAFANA_STANDIN_DIR/grafana_server.py"
  printf '%s\n' "$want_wrapper" >"$wrapper.new"
  chmod 0755 "$wrapper.new"
  mv "$wrapper.new" "$wrapper"
  ln -sfn "$wrapper" "$link"
}

ensure_grafana_standin_venv
ensure_grafana_standin
