# Workloads of the snappass charm's end-to-end test; sourced by scripts/install-test-deps.sh
# (which defines `step` and `apt_install`). Idempotent and quick when everything is present.
# The simulator's containers see the host system read-only, so the workloads run from these
# host paths: /usr/bin/redis-server, and `snappass` on PATH as in SnapPass's image (a link in
# /usr/local/bin to the virtualenv's console script).

SNAPPASS_VERSION=1.6.2
SNAPPASS_VENV="${HOME}/.cache/charm-ts/snappass-venv"

ensure_redis_server() {
  if command -v redis-server >/dev/null && command -v redis-cli >/dev/null; then
    step "redis-server present ($(command -v redis-server))"
  else
    step "installing redis-server (apt-get install -y redis-server)"
    apt_install redis-server
  fi
  # Debian's package starts a system redis on 6379; the tests start their own in each pod.
  if command -v systemctl >/dev/null && systemctl is-active --quiet redis-server 2>/dev/null; then
    step "stopping the system redis-server (systemctl disable --now redis-server)"
    systemctl disable --now redis-server >/dev/null 2>&1 || true
  fi
  if [ -x /etc/init.d/redis-server ] && /etc/init.d/redis-server status >/dev/null 2>&1; then
    step "stopping the system redis-server (/etc/init.d/redis-server stop)"
    /etc/init.d/redis-server stop >/dev/null 2>&1 || true
  fi
}

ensure_snappass() {
  local installed
  installed=$("$SNAPPASS_VENV/bin/python3" -c 'import importlib.metadata as m; print(m.version("snappass"))' 2>/dev/null || true)
  if [ -x "$SNAPPASS_VENV/bin/snappass" ] && [ "$installed" = "$SNAPPASS_VERSION" ]; then
    step "snappass $SNAPPASS_VERSION present ($SNAPPASS_VENV)"
    return
  fi
  if ! python3 -m venv --help >/dev/null 2>&1; then
    step "installing python3-venv (apt-get install -y python3-venv)"
    apt_install python3-venv
  fi
  step "installing snappass $SNAPPASS_VERSION into $SNAPPASS_VENV (python3 -m venv; pip install snappass==$SNAPPASS_VERSION)"
  python3 -m venv "$SNAPPASS_VENV"
  "$SNAPPASS_VENV/bin/pip" install -q "snappass==$SNAPPASS_VERSION"
}

ensure_snappass_on_path() {
  local link=/usr/local/bin/snappass
  if [ "$(readlink "$link" 2>/dev/null)" = "$SNAPPASS_VENV/bin/snappass" ]; then
    step "snappass on PATH ($link)"
    return
  fi
  if [ -e "$link" ] || [ -L "$link" ]; then
    echo "[deps] $link exists and is not ours: remove it, or link it to $SNAPPASS_VENV/bin/snappass" >&2
    exit 1
  fi
  step "linking $link -> $SNAPPASS_VENV/bin/snappass (the path SnapPass's image has)"
  ln -s "$SNAPPASS_VENV/bin/snappass" "$link"
}

ensure_redis_server
ensure_snappass
ensure_snappass_on_path
