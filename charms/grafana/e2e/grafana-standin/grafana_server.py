#!/usr/bin/env python3
"""A STAND-IN for grafana-server, for the grafana charm's end-to-end test. It is not Grafana.

Grafana cannot be installed on this project's machines (not in Debian; its Go module is under
the AGPL and must not be used), so this program checks what Grafana would check of what the
charm gives it, and serves the part of Grafana's HTTP API the test and the charm read:

- the command line: `grafana-server -config <ini>` (`-v` prints a version);
- settings as Grafana reads them: its defaults, then the ini (a real INI parser, with go-ini's
  quoting and inline comments), then `GF_<SECTION>_<KEY>` variables for settings that exist
  (others, such as the original charm's `GF_HTTP_PORT`, are ignored, as Grafana ignores them);
- the database: SQLite at `[database] path`, or PostgreSQL at `host` with `name`, `user`,
  `password` (a real connection; health fails while it cannot connect);
- provisioning: YAML files parsed with a YAML parser; datasources upserted, `deleteDatasources`
  deleted; dashboards read from the providers' folders;
- refusals, exiting non-zero with a message: a missing or unparsable ini, a bad port, an
  unknown database type, provisioning YAML that does not parse or that Grafana would refuse
  (more than one default datasource in an organisation, a datasource without a name or type);
- HTTP: /api/health, /api/org (basic auth with the admin user; anonymous when enabled),
  /api/datasources, /api/search, and /api/standin (what it read and provisioned, for the test).
"""

import base64
import configparser
import hashlib
import http.server
import json
import os
import socket
import sqlite3
import sys
import threading
import time
import urllib.parse

import yaml

VERSION = "0.1.0"
STAND_IN = "charm-ts stand-in for grafana-server (not Grafana)"

# The part of Grafana's conf/defaults.ini this stand-in reads.
DEFAULTS = {
    "paths": {"data": "data", "provisioning": "conf/provisioning"},
    "server": {
        "protocol": "http",
        "http_addr": "",
        "http_port": "3000",
        "domain": "localhost",
        "root_url": "%(protocol)s://%(domain)s:%(http_port)s/",
        "serve_from_sub_path": "false",
        "enforce_domain": "false",
    },
    "database": {
        "type": "sqlite3",
        "host": "127.0.0.1:3306",
        "name": "grafana",
        "user": "root",
        "password": "",
        "path": "grafana.db",
        "ssl_mode": "disable",
    },
    "security": {"admin_user": "admin", "admin_password": "admin", "allow_embedding": "false"},
    "auth.anonymous": {"enabled": "false", "org_name": "Main Org.", "org_role": "Viewer"},
    "users": {"auto_assign_org": "true"},
    "log": {"level": "info"},
}


def fail(message):
    """Exit as Grafana does when it cannot start."""
    print(f"Failed to start grafana. error: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def log(message):
    print(f"logger=standin t={time.strftime('%Y-%m-%dT%H:%M:%S')} {message}", flush=True)


def go_ini_value(raw):
    """A value as go-ini reads it: quotes (\"\"\", \", `) removed, else cut at # or ;."""
    value = raw.strip()
    for quote in ('"""', '"', "`"):
        if len(value) >= 2 * len(quote) and value.startswith(quote):
            end = value.find(quote, len(quote))
            if end < 0:
                raise ValueError(f"unterminated {quote} quote in {raw!r}")
            return value[len(quote) : end]
    for mark in ("#", ";"):
        at = value.find(mark)
        if at >= 0:
            value = value[:at]
    return value.strip()


def load_settings(path):
    settings = {section: dict(keys) for section, keys in DEFAULTS.items()}
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        fail(f"open {path}: {e.strerror.lower()}")
    parser = configparser.ConfigParser(
        interpolation=None, comment_prefixes=("#", ";"), inline_comment_prefixes=None, strict=False
    )
    parser.optionxform = str
    try:
        parser.read_string(text, source=path)
        for section in parser.sections():
            for key, raw in parser.items(section):
                settings.setdefault(section, {})[key] = go_ini_value(raw)
    except (configparser.Error, ValueError) as e:
        fail(f"failed to parse {path}: {e}")
    ignored = []
    known = set()
    for section, keys in settings.items():
        for key in keys:
            name = "GF_" + f"{section}_{key}".upper().replace(".", "_").replace("-", "_")
            known.add(name)
            if name in os.environ:
                keys[key] = os.environ[name]
    ignored = sorted(k for k in os.environ if k.startswith("GF_") and k not in known)
    for name in ignored:
        log(f"msg=\"ignoring {name}: not a Grafana setting\"")
    server = settings["server"]
    root = server["root_url"]
    for key in ("protocol", "domain", "http_port"):
        root = root.replace(f"%({key})s", server[key])
    server["root_url"] = root
    return settings, ignored


def truthy(value):
    """Grafana's values.BoolValue: a YAML bool, or the strings true/false."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if value is None:
        return False
    raise ValueError(f"not a boolean: {value!r}")


def int_value(value, default):
    if value is None:
        return default
    return int(value)


class Database:
    """Grafana's database: SQLite, or a real PostgreSQL."""

    def __init__(self, settings):
        self.settings = settings["database"]
        self.kind = self.settings["type"]
        if self.kind not in ("sqlite3", "postgres"):
            fail(f"unknown database type: {self.kind}")
        self.lock = threading.Lock()
        self.conn = None
        self.error = ""
        if self.kind == "sqlite3":
            path = self.settings["path"]
            if not os.path.isabs(path):
                path = os.path.join(settings["paths"]["data"], path)
            os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
            self.path = path
        else:
            host = self.settings["host"]
            if ":" not in host:
                host = f"{host}:5432"
            self.host, self.port = host.rsplit(":", 1)

    def connect(self):
        """True once connected (retried by health checks while PostgreSQL is unreachable)."""
        with self.lock:
            if self.conn is not None:
                try:
                    self._execute("SELECT 1")
                    return True
                except Exception as e:  # noqa: BLE001 - any failure means "failing"
                    self.error = str(e)
                    self.conn = None
            try:
                if self.kind == "sqlite3":
                    self.conn = sqlite3.connect(self.path, check_same_thread=False)
                else:
                    import psycopg

                    self.conn = psycopg.connect(
                        host=self.host,
                        port=int(self.port),
                        dbname=self.settings["name"],
                        user=self.settings["user"],
                        password=self.settings["password"],
                        sslmode=self.settings["ssl_mode"],
                        connect_timeout=3,
                        autocommit=True,
                    )
                self.error = ""
                return True
            except Exception as e:  # noqa: BLE001
                self.error = f"{type(e).__name__}: {e}".strip()
                self.conn = None
                return False

    def _execute(self, sql, params=()):
        if self.kind == "postgres":
            sql = sql.replace("?", "%s")
        cur = self.conn.cursor()
        cur.execute(sql, params)
        rows = cur.fetchall() if cur.description else []
        if self.kind == "sqlite3":
            self.conn.commit()
        return rows

    def execute(self, sql, params=()):
        with self.lock:
            return self._execute(sql, params)


SCHEMA = [
    "CREATE TABLE IF NOT EXISTS standin_user (login TEXT PRIMARY KEY, salt TEXT, hash TEXT)",
    "CREATE TABLE IF NOT EXISTS standin_datasource (org_id INTEGER, name TEXT, type TEXT,"
    " url TEXT, is_default INTEGER, json_data TEXT, secure_keys TEXT, PRIMARY KEY (org_id, name))",
    "CREATE TABLE IF NOT EXISTS standin_dashboard (uid TEXT PRIMARY KEY, title TEXT,"
    " provisioner TEXT, path TEXT, data TEXT)",
    "CREATE TABLE IF NOT EXISTS standin_server (hostname TEXT PRIMARY KEY, started TEXT)",
]


def password_hash(password, salt):
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), 10000).hex()


class Grafana:
    def __init__(self, settings, ignored):
        self.settings = settings
        self.ignored = ignored
        self.db = Database(settings)
        self.ready = False
        self.provisioning_log = []
        self.provision_lock = threading.Lock()

    def start_database(self):
        """Migrate, make the admin (first start only, as Grafana), provision."""
        with self.provision_lock:
            if self.ready or not self.db.connect():
                return self.ready
            for statement in SCHEMA:
                self.db.execute(statement)
            if not self.db.execute("SELECT login FROM standin_user"):
                security = self.settings["security"]
                salt = base64.b16encode(os.urandom(8)).decode()
                self.db.execute(
                    "INSERT INTO standin_user VALUES (?, ?, ?)",
                    (security["admin_user"], salt, password_hash(security["admin_password"], salt)),
                )
                log(f"msg=\"created the admin user\" login={security['admin_user']}")
            host = socket.gethostname()
            self.db.execute("DELETE FROM standin_server WHERE hostname = ?", (host,))
            self.db.execute("INSERT INTO standin_server VALUES (?, ?)", (host, time.strftime("%Y-%m-%dT%H:%M:%S")))
            self.provision_datasources(self.datasource_configs)
            self.provision_dashboards(self.dashboard_providers)
            self.ready = True
            return True

    # ---------------------------------------------------------------- provisioning

    def read_provisioning(self):
        """Parse every provisioning file up front: what does not parse stops the start."""
        root = self.settings["paths"]["provisioning"]
        self.datasource_configs = self._yaml_files(os.path.join(root, "datasources"), "datasources")
        self.dashboard_providers = []
        for path, doc in self._yaml_files(os.path.join(root, "dashboards"), "dashboards"):
            for provider in doc.get("providers") or []:
                if not provider.get("name"):
                    fail(f"dashboards provisioning: {path}: a provider has no name")
                if provider.get("type", "file") != "file":
                    fail(f"dashboards provisioning: {path}: provider {provider['name']}: unknown type")
                folder = (provider.get("options") or {}).get("path")
                if not folder:
                    fail(f"dashboards provisioning: {path}: provider {provider['name']}: options.path is required")
                self.dashboard_providers.append(provider)
        # Grafana's validation of datasources, before anything is applied.
        defaults = {}
        for path, doc in self.datasource_configs:
            for ds in doc.get("datasources") or []:
                if not ds.get("name"):
                    fail(f"Datasource provisioning error: {path}: datasource name is required")
                if not ds.get("type"):
                    fail(f"Datasource provisioning error: {path}: datasource {ds['name']}: type is required")
                try:
                    org = int_value(ds.get("orgId"), 1)
                    default = truthy(ds.get("isDefault"))
                except ValueError as e:
                    fail(f"Datasource provisioning error: {path}: datasource {ds['name']}: {e}")
                if default:
                    defaults.setdefault(org, []).append(ds["name"])
        for org, names in defaults.items():
            if len(names) > 1:
                fail(
                    "Datasource provisioning error: datasource.yaml config is invalid. Only one datasource"
                    f" per organization can be marked as default (org {org}: {', '.join(names)})"
                )

    def _yaml_files(self, folder, kind):
        out = []
        if not os.path.isdir(folder):
            return out
        for name in sorted(os.listdir(folder)):
            if not name.endswith((".yaml", ".yml")):
                continue
            path = os.path.join(folder, name)
            try:
                with open(path, encoding="utf-8") as f:
                    doc = yaml.safe_load(f) or {}
            except (OSError, yaml.YAMLError, UnicodeDecodeError) as e:
                fail(f"{kind} provisioning: could not parse {path}: {e}")
            if not isinstance(doc, dict):
                fail(f"{kind} provisioning: {path}: not a YAML mapping")
            out.append((path, doc))
        return out

    def provision_datasources(self, configs):
        for path, doc in configs:
            for gone in doc.get("deleteDatasources") or []:
                org = int_value(gone.get("orgId"), 1)
                self.db.execute("DELETE FROM standin_datasource WHERE org_id = ? AND name = ?", (org, gone.get("name")))
                self.provisioning_log.append(f"deleted datasource {gone.get('name')} (org {org})")
            for ds in doc.get("datasources") or []:
                org = int_value(ds.get("orgId"), 1)
                self.db.execute("DELETE FROM standin_datasource WHERE org_id = ? AND name = ?", (org, ds["name"]))
                self.db.execute(
                    "INSERT INTO standin_datasource VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        org,
                        ds["name"],
                        ds["type"],
                        ds.get("url", ""),
                        1 if truthy(ds.get("isDefault")) else 0,
                        json.dumps(ds.get("jsonData") or {}),
                        json.dumps(sorted((ds.get("secureJsonData") or {}).keys())),
                    ),
                )
                self.provisioning_log.append(f"provisioned datasource {ds['name']} from {path}")

    def provision_dashboards(self, providers):
        for provider in providers:
            folder = provider["options"]["path"]
            name = provider["name"]
            seen = set()
            files = sorted(f for f in os.listdir(folder) if f.endswith(".json")) if os.path.isdir(folder) else []
            for file in files:
                path = os.path.join(folder, file)
                try:
                    with open(path, encoding="utf-8") as f:
                        dashboard = json.load(f)
                    if not isinstance(dashboard, dict):
                        raise ValueError("not a JSON object")
                except (OSError, ValueError, UnicodeDecodeError) as e:
                    # Grafana logs a dashboard it cannot read and goes on.
                    self.provisioning_log.append(f"failed to load dashboard from {path}: {e}")
                    continue
                uid = dashboard.get("uid") or hashlib.sha1(path.encode()).hexdigest()[:14]
                if uid in seen:
                    self.provisioning_log.append(f"dashboard {path}: the same UID is used more than once: {uid}")
                    continue
                seen.add(uid)
                self.db.execute("DELETE FROM standin_dashboard WHERE uid = ?", (uid,))
                self.db.execute(
                    "INSERT INTO standin_dashboard VALUES (?, ?, ?, ?, ?)",
                    (uid, dashboard.get("title", ""), name, path, json.dumps(dashboard)),
                )
                self.provisioning_log.append(f"provisioned dashboard {uid} from {path}")
            if not truthy(provider.get("disableDeletion", False)):
                for (uid,) in self.db.execute("SELECT uid FROM standin_dashboard WHERE provisioner = ?", (name,)):
                    if uid not in seen:
                        self.db.execute("DELETE FROM standin_dashboard WHERE uid = ?", (uid,))
                        self.provisioning_log.append(f"deleted dashboard {uid}: its file is gone")

    # ---------------------------------------------------------------- HTTP

    def authenticate(self, header):
        """'admin', 'anonymous', None (no credentials) or False (refused)."""
        if not header:
            return "anonymous" if truthy(self.settings["auth.anonymous"]["enabled"]) else None
        if not header.startswith("Basic "):
            return False
        try:
            login, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        rows = self.db.execute("SELECT salt, hash FROM standin_user WHERE login = ?", (login,))
        if rows and password_hash(password, rows[0][0]) == rows[0][1]:
            return "admin"
        return False


class Handler(http.server.BaseHTTPRequestHandler):
    grafana: Grafana

    def log_message(self, fmt, *args):
        log(f"msg=\"{fmt % args}\"")

    def send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802 - http.server's name
        g = self.grafana
        url = urllib.parse.urlparse(self.path)
        if url.path == "/api/health":
            ok = g.start_database() and g.db.connect()
            body = {"commit": "stand-in", "database": "ok" if ok else "failing", "version": VERSION}
            return self.send(200 if ok else 503, body)
        if not g.start_database():
            return self.send(503, {"message": f"database: {g.db.error}"})
        who = g.authenticate(self.headers.get("Authorization"))
        if not who:
            return self.send(401, {"message": "Invalid username or password", "statusCode": 401})
        if url.path == "/api/org":
            return self.send(200, {"id": 1, "name": "Main Org.", "address": {}})
        if who != "admin":
            return self.send(403, {"message": "Permission denied"})
        if url.path == "/api/datasources":
            rows = g.db.execute(
                "SELECT org_id, name, type, url, is_default, json_data, secure_keys FROM standin_datasource ORDER BY name"
            )
            return self.send(
                200,
                [
                    {
                        "orgId": r[0],
                        "name": r[1],
                        "type": r[2],
                        "url": r[3],
                        "isDefault": bool(r[4]),
                        "jsonData": json.loads(r[5]),
                        "secureJsonFields": {k: True for k in json.loads(r[6])},
                        "readOnly": True,
                    }
                    for r in rows
                ],
            )
        if url.path == "/api/search":
            rows = g.db.execute("SELECT uid, title, provisioner, path FROM standin_dashboard ORDER BY title")
            return self.send(
                200,
                [{"uid": r[0], "title": r[1], "type": "dash-db", "provisioner": r[2], "file": r[3]} for r in rows],
            )
        if url.path == "/api/standin":
            database = {k: v for k, v in g.settings["database"].items() if k != "password"}
            servers = [r[0] for r in g.db.execute("SELECT hostname FROM standin_server ORDER BY hostname")]
            settings = {
                section: {k: v for k, v in keys.items() if "password" not in k}
                for section, keys in g.settings.items()
            }
            return self.send(
                200,
                {
                    "standIn": STAND_IN,
                    "settings": settings,
                    "database": database,
                    "servers": servers,
                    "ignoredEnvironment": g.ignored,
                    "provisioning": g.provisioning_log,
                },
            )
        return self.send(404, {"message": "Not found"})


def main(argv):
    config = None
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg in ("-v", "--version", "-version"):
            print(f"Version {VERSION} (commit: stand-in, branch: charm-ts)")
            return 0
        if arg in ("-config", "--config"):
            if not args:
                fail("flag needs an argument: -config")
            config = args.pop(0)
        elif arg.startswith(("-config=", "--config=")):
            config = arg.split("=", 1)[1]
        elif arg in ("-homepath", "--homepath", "-pidfile", "--pidfile"):
            args.pop(0) if args else None
        else:
            print(f"flag provided but not defined: {arg}", file=sys.stderr)
            return 2
    if config is None:
        config = "conf/defaults.ini"
    settings, ignored = load_settings(config)
    try:
        port = int(settings["server"]["http_port"])
        if not 1 <= port <= 65535:
            raise ValueError
    except ValueError:
        fail(f"invalid [server] http_port: {settings['server']['http_port']!r}")
    log(f"msg=\"{STAND_IN} starting\" config={config} port={port} database={settings['database']['type']}")
    grafana = Grafana(settings, ignored)
    grafana.read_provisioning()
    if not grafana.start_database():
        log(f"msg=\"database not ready: {grafana.db.error}\"")
    Handler.grafana = grafana
    server = http.server.ThreadingHTTPServer((settings["server"]["http_addr"], port), Handler)
    log(f"msg=\"HTTP Server Listen\" address={settings['server']['http_addr'] or '[::]'}:{port}")
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
