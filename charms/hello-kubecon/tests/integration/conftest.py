"""Fixtures of the integration tests: a temporary Juju model, the packed charm, and a local web
server standing for the site and redirect map the charm fetches (nothing from the internet).

The tests drive whatever `juju` is on PATH through jubilant, as on a Kubernetes cloud with a
bootstrapped controller. The repository runs them against charm-sim's `juju` shim (see
e2e/jubilant.test.ts); nothing here knows about that.
"""

from __future__ import annotations

import http.server
import os
import pathlib
import socket
import threading
from collections.abc import Callable, Generator

import jubilant
import pytest

CHARM_DIR = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope='module')
def juju(request: pytest.FixtureRequest) -> Generator[jubilant.Juju]:
    """A temporary model for the module's tests, destroyed after them."""
    with jubilant.temp_model() as juju:
        juju.wait_timeout = 5 * 60
        yield juju
        if request.session.testsfailed:
            print(juju.debug_log(limit=300), end='')


@pytest.fixture(scope='session')
def charm() -> pathlib.Path:
    """The packed charm: $CHARM_PATH, else what `pnpm build` wrote into dist/."""
    if os.environ.get('CHARM_PATH'):
        return pathlib.Path(os.environ['CHARM_PATH']).resolve()
    packed = sorted(CHARM_DIR.glob('dist/hello-kubecon_ubuntu-22.04-amd64*.charm'))
    if not packed:
        pytest.fail(f'no packed charm in {CHARM_DIR / "dist"}: run pnpm build, or set CHARM_PATH')
    return packed[0]


class SiteServer:
    """A web server with fixed answers by path, on an address the units can reach."""

    def __init__(self, host: str):
        self.routes: dict[str, tuple[int, str, bytes]] = {}
        self.requests: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                path = self.path.split('?', 1)[0]
                server.requests.append(self.path)
                status, content_type, body = server.routes.get(
                    path, (404, 'text/plain', b'not found')
                )
                self.send_response(status)
                self.send_header('Content-Type', content_type)
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._httpd = http.server.ThreadingHTTPServer((host, 0), Handler)
        self.url = f'http://{host}:{self._httpd.server_address[1]}'
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def address_towards(address: str) -> str:
    """This machine's address on the route to `address` (a UDP connect sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect((address, 9))
        return s.getsockname()[0]


@pytest.fixture(scope='module')
def site_server() -> Generator[Callable[[str], SiteServer]]:
    """Starts a SiteServer reachable from a unit's address (once it is known)."""
    started: list[SiteServer] = []

    def start(unit_address: str) -> SiteServer:
        server = SiteServer(address_towards(unit_address))
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()
