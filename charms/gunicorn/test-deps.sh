# Workloads of the gunicorn charm's end-to-end test; sourced by scripts/install-test-deps.sh
# (which defines `step`, `apt_install`, `GOBIN`, `OPS_VENV` and `REPO_ROOT`). Idempotent: what
# is there at the right version is only checked. The simulator's containers see the host system
# read-only, so the workloads run from host paths: gunicorn from its virtualenv (the test's
# startup_command names it), statsd_exporter on PATH as in the original's image (a link in
# /usr/local/bin), Debian's PostgreSQL 15 under /usr/lib/postgresql/15.

GUNICORN_VERSION=27.0.1
PSYCOPG_VERSION=3.3.9
GUNICORN_VENV="${HOME}/.cache/charm-ts/gunicorn-venv"
STATSD_EXPORTER_VERSION=v0.31.0
STATSD_EXPORTER_MODULE=github.com/prometheus/statsd_exporter
# prometheus/common reads the version from ldflags (the release build sets it; go install does not).
STATSD_EXPORTER_LDFLAGS="-X github.com/prometheus/common/version.Version=${STATSD_EXPORTER_VERSION#v}"
JINJA2_VERSION=3.1.6

ensure_gunicorn() {
  local installed
  installed=$("$GUNICORN_VENV/bin/python3" -c 'import importlib.metadata as m; print(m.version("gunicorn"), m.version("psycopg"))' 2>/dev/null || true)
  if [ -x "$GUNICORN_VENV/bin/gunicorn" ] && [ "$installed" = "$GUNICORN_VERSION $PSYCOPG_VERSION" ]; then
    step "gunicorn $GUNICORN_VERSION and psycopg $PSYCOPG_VERSION present ($GUNICORN_VENV)"
    return
  fi
  if ! python3 -m venv --help >/dev/null 2>&1; then
    step "installing python3-venv (apt-get install -y python3-venv)"
    apt_install python3-venv
  fi
  step "installing gunicorn $GUNICORN_VERSION and psycopg[binary] $PSYCOPG_VERSION into $GUNICORN_VENV (python3 -m venv; pip install)"
  python3 -m venv "$GUNICORN_VENV"
  "$GUNICORN_VENV/bin/pip" install -q "gunicorn==$GUNICORN_VERSION" "psycopg[binary]==$PSYCOPG_VERSION"
}

statsd_exporter_version() {
  local out
  out=$("$1" --version 2>&1) || return 0
  out=${out%%$'\n'*}
  printf '%s' "${out%% (*}"
}

ensure_statsd_exporter() {
  local bin="$GOBIN/statsd_exporter" want="statsd_exporter, version ${STATSD_EXPORTER_VERSION#v}"
  if [ "$(statsd_exporter_version "$bin")" = "$want" ]; then
    step "statsd_exporter $STATSD_EXPORTER_VERSION present ($bin)"
    return
  fi
  command -v go >/dev/null || { echo "[deps] Go is needed to build statsd_exporter: install Go >= 1.24" >&2; exit 1; }
  step "installing statsd_exporter $STATSD_EXPORTER_VERSION (go install $STATSD_EXPORTER_MODULE@$STATSD_EXPORTER_VERSION; about a minute)"
  if ! CGO_ENABLED=0 go install -ldflags "$STATSD_EXPORTER_LDFLAGS" \
    "$STATSD_EXPORTER_MODULE@$STATSD_EXPORTER_VERSION" >/dev/null 2>&1; then
    # As for pebble: a proxy that refuses the version list `go install pkg@version` reads still
    # serves the exact version to a throwaway module.
    local tmp
    tmp=$(mktemp -d)
    (cd "$tmp" && go mod init statsd-exporter-build >/dev/null 2>&1 \
      && go get "$STATSD_EXPORTER_MODULE@$STATSD_EXPORTER_VERSION" >/dev/null 2>&1 \
      && CGO_ENABLED=0 go build -ldflags "$STATSD_EXPORTER_LDFLAGS" -o "$bin.partial" "$STATSD_EXPORTER_MODULE" \
      && mv "$bin.partial" "$bin")
    rm -rf "$tmp"
  fi
  [ "$(statsd_exporter_version "$bin")" = "$want" ] || {
    echo "[deps] statsd_exporter: $bin --version does not say ${STATSD_EXPORTER_VERSION#v} after the build" >&2
    exit 1
  }
}

ensure_statsd_exporter_on_path() {
  local link=/usr/local/bin/statsd_exporter
  if [ "$(readlink "$link" 2>/dev/null)" = "$GOBIN/statsd_exporter" ]; then
    step "statsd_exporter on PATH ($link)"
    return
  fi
  if [ -e "$link" ] || [ -L "$link" ]; then
    echo "[deps] $link exists and is not ours: remove it, or link it to $GOBIN/statsd_exporter" >&2
    exit 1
  fi
  step "linking $link -> $GOBIN/statsd_exporter (on PATH, as in the original's image)"
  ln -s "$GOBIN/statsd_exporter" "$link"
}

ensure_postgresql() {
  if [ -x /usr/lib/postgresql/15/bin/postgres ] && [ -x /usr/lib/postgresql/15/bin/initdb ]; then
    step "PostgreSQL 15 present (/usr/lib/postgresql/15/bin)"
  else
    step "installing PostgreSQL 15 (apt-get install -y postgresql)"
    apt_install postgresql
  fi
  # Debian's package starts a cluster of its own; the test runs PostgreSQL in a pod.
  if command -v pg_lsclusters >/dev/null && pg_lsclusters -h 2>/dev/null | grep -q ' online'; then
    step "stopping Debian's own PostgreSQL cluster (pg_ctlcluster 15 main stop)"
    pg_ctlcluster 15 main stop >/dev/null 2>&1 || true
  fi
}

# The template tests compare the charm's rendering with Jinja2's own, in the ops venv.
ensure_jinja2() {
  if [ "$("$OPS_VENV/bin/python3" -c 'import jinja2; print(jinja2.__version__)' 2>/dev/null)" = "$JINJA2_VERSION" ]; then
    step "Jinja2 $JINJA2_VERSION present in $OPS_VENV"
    return
  fi
  step "installing Jinja2 $JINJA2_VERSION into $OPS_VENV (pip install jinja2==$JINJA2_VERSION)"
  "$OPS_VENV/bin/pip" install -q "jinja2==$JINJA2_VERSION"
}

ensure_gunicorn
ensure_statsd_exporter
ensure_statsd_exporter_on_path
ensure_postgresql
ensure_jinja2
