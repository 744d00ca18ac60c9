"""hello-kubecon on Juju: gosherve serves a site the charm fetches, pull-site replaces it, and
the redirect map sends aliases on."""

from __future__ import annotations

import io
import pathlib
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable

import jubilant
import pytest

from conftest import SiteServer

APP = 'hello-kubecon'
UNIT = f'{APP}/0'
RESOURCES = {'gosherve-image': 'jnsgruk/gosherve'}
# Nothing listens here: the site is served once the unit's address (and so the address it
# reaches this machine at) is known.
NOWHERE = 'http://127.0.0.1:65000'
PAGE = b'<!doctype html>\n<title>Hello, KubeCon!</title>\n<h1>Hello, KubeCon!</h1>\n'
ROUTES = b'kubecon https://events.linuxfoundation.org/kubecon/\n'


def site_zip() -> bytes:
    """The site as a zip archive with one top folder, as GitHub's archives are."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w') as archive:
        archive.writestr('test-site-master/index.html', '<h1>Hello, KubeCon! (zip)</h1>\n')
        archive.writestr('test-site-master/about/index.html', '<p>about</p>\n')
    return buffer.getvalue()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def get(url: str) -> tuple[int, str, dict[str, str]]:
    """GETs `url` without following redirects: status, body, headers."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as resp:
            return resp.status, resp.read().decode(), dict(resp.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), dict(e.headers)


def wait_for(url: str, want: str, timeout: float = 60) -> None:
    """Waits until `url` answers 200 with `want` (gosherve may still be starting)."""
    deadline = time.monotonic() + timeout
    last = 'no answer'
    while time.monotonic() < deadline:
        try:
            status, body, _ = get(url)
            if status == 200 and body == want:
                return
            last = f'{status}: {body[:80]!r}'
        except OSError as e:
            last = str(e)
        time.sleep(0.5)
    raise TimeoutError(f'{url} did not answer {want!r} in {timeout}s (last: {last})')


@pytest.fixture(scope='module')
def site(juju: jubilant.Juju, site_server: Callable[[str], SiteServer]) -> SiteServer:
    """The site and redirect map, served where the unit reaches this machine."""
    address = juju.status().apps[APP].units[UNIT].address
    server = site_server(address)
    server.routes['/index.html'] = (200, 'text/html', PAGE)
    server.routes['/site.zip'] = (200, 'application/zip', site_zip())
    server.routes['/routes'] = (200, 'text/plain', ROUTES)
    return server


def unit_url(juju: jubilant.Juju) -> str:
    return f'http://{juju.status().apps[APP].units[UNIT].address}:8080'


def test_deploy(juju: jubilant.Juju, charm: pathlib.Path):
    juju.deploy(
        charm,
        APP,
        resources=RESOURCES,
        config={'site-url': f'{NOWHERE}/index.html', 'redirect-map': f'{NOWHERE}/routes'},
    )
    # Without its redirect map gosherve cannot run: the charm says so, and is not in error.
    status = juju.wait(
        lambda s: jubilant.all_agents_idle(s, APP) and jubilant.all_waiting(s, APP),
        error=jubilant.any_error,
    )
    assert 'redirect-map' in status.apps[APP].units[UNIT].workload_status.message


def test_pull_site_serves_the_page(juju: jubilant.Juju, site: SiteServer):
    juju.config(APP, {'site-url': f'{site.url}/index.html', 'redirect-map': f'{site.url}/routes'})
    task = juju.run(UNIT, 'pull-site')
    assert task.results['result'] == 'site pulled'
    assert task.results['kind'] == 'page'
    juju.wait(jubilant.all_active, error=jubilant.any_error)
    wait_for(f'{unit_url(juju)}/', PAGE.decode())
    assert '/index.html' in site.requests


def test_redirects(juju: jubilant.Juju):
    status, _, headers = get(f'{unit_url(juju)}/kubecon')
    assert status == 301
    assert headers['Location'] == 'https://events.linuxfoundation.org/kubecon/'
    assert get(f'{unit_url(juju)}/nope')[0] == 404


def test_pull_site_with_a_zip(juju: jubilant.Juju, site: SiteServer):
    juju.config(APP, {'site-url': f'{site.url}/site.zip'})
    task = juju.run(UNIT, 'pull-site', {'timeout': 30})
    assert task.results['kind'] == 'zip'
    base = unit_url(juju)
    wait_for(f'{base}/', '<h1>Hello, KubeCon! (zip)</h1>\n')
    wait_for(f'{base}/about/', '<p>about</p>\n')


def test_failed_pull_keeps_the_site(juju: jubilant.Juju, site: SiteServer):
    juju.config(APP, {'site-url': f'{site.url}/missing.zip'})
    with pytest.raises(jubilant.TaskError) as raised:
        juju.run(UNIT, 'pull-site')
    assert raised.value.task.status == 'failed'
    assert 'the current site is unchanged' in raised.value.task.message
    wait_for(f'{unit_url(juju)}/', '<h1>Hello, KubeCon! (zip)</h1>\n')


def test_a_bad_action_parameter_is_refused(juju: jubilant.Juju):
    with pytest.raises(ValueError):
        juju.run(UNIT, 'pull-site', {'timeout': 'soon'})
