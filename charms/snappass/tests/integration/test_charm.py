"""SnapPass on Juju, as its users see it: deploy with the images, store a secret through the
web form and reveal it once, change the links it hands out, and scale to two units."""

from __future__ import annotations

import html
import pathlib
import re
import time
import urllib.error
import urllib.parse
import urllib.request

import jubilant
import pytest

APP = 'snappass'
RESOURCES = {'snappass-image': 'benhoyt/snappass-test', 'redis-image': 'redis:7'}
PASSWORD = 'correct horse battery staple'
PORT = 5000


def request(url: str, data: dict[str, str] | None = None) -> tuple[int, str]:
    """GET (or POST a form to) `url`; returns the status and the body."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, headers={'Accept': 'text/html'})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def wait_for_page(url: str, timeout: float = 60) -> str:
    """The page at `url` once the server answers 200 (it may still be starting)."""
    deadline = time.monotonic() + timeout
    last = 'no answer'
    while time.monotonic() < deadline:
        try:
            status, body = request(url)
            if status == 200:
                return body
            last = f'status {status}'
        except OSError as e:
            last = str(e)
        time.sleep(0.5)
    raise TimeoutError(f'{url} did not answer 200 in {timeout}s (last: {last})')


def unit_url(juju: jubilant.Juju, unit: str) -> str:
    address = juju.status().apps[APP].units[unit].address
    return f'http://{address}:{PORT}'


def store(base: str, password: str) -> str:
    """Stores a password through the form, as a browser does; returns the one-time link."""
    status, body = request(f'{base}/', {'password': password, 'ttl': 'hour'})
    assert status == 200, body
    link = re.search(r'id="password-link" value="([^"]+)"', body)
    assert link, body
    return html.unescape(link.group(1))


def reveal(base: str, link: str) -> str | None:
    """Opens the one-time link (the page's button POSTs to it); None once it is gone."""
    token = link.rsplit('/', 1)[1]
    status, body = request(f'{base}/{token}', {})
    if status == 404:
        return None
    assert status == 200, body
    text = re.search(r'<textarea[^>]*id="password-text"[^>]*>(.*?)</textarea>', body, re.S)
    assert text, body
    return html.unescape(text.group(1)).strip()


def test_deploy(juju: jubilant.Juju, charm: pathlib.Path):
    start = time.monotonic()
    juju.deploy(charm, APP, resources=RESOURCES)
    juju.wait(jubilant.all_active, error=jubilant.any_error)
    print(f'\nsnappass: deploy to all_active in {time.monotonic() - start:.1f} s')

    status = juju.status()
    unit = status.apps[APP].units[f'{APP}/0']
    assert unit.leader
    assert unit.juju_status.current == 'idle'
    assert unit.open_ports == [f'{PORT}/tcp']
    assert status.apps[APP].charm_name == APP


def test_page_is_served(juju: jubilant.Juju):
    page = wait_for_page(f'{unit_url(juju, f"{APP}/0")}/')
    assert '<title>Snappass' in page
    assert 'id="password_create"' in page


def test_secret_round_trip(juju: jubilant.Juju):
    base = unit_url(juju, f'{APP}/0')
    link = store(base, PASSWORD)
    # Without a TLS proxy in front, links still say https unless no-ssl is set.
    assert link.startswith(f'https://{urllib.parse.urlparse(base).netloc}/snappass')
    assert reveal(base, link) == PASSWORD
    assert reveal(base, link) is None  # one time only


def test_config_changes_the_links(juju: jubilant.Juju):
    juju.config(APP, {'no-ssl': True, 'url-prefix': '/share'})
    juju.wait(jubilant.all_active, error=jubilant.any_error)
    assert juju.config(APP)['url-prefix'] == '/share'

    base = unit_url(juju, f'{APP}/0')
    wait_for_page(f'{base}/')
    link = store(base, PASSWORD)
    assert link.startswith(f'http://{urllib.parse.urlparse(base).netloc}/share/snappass')
    assert reveal(base, link) == PASSWORD

    juju.config(APP, reset=['no-ssl', 'url-prefix'])
    juju.wait(jubilant.all_active, error=jubilant.any_error)
    assert store(base, PASSWORD).startswith('https://')


def test_bad_config_blocks(juju: jubilant.Juju):
    juju.config(APP, {'url-prefix': '/a b'})
    status = juju.wait(lambda s: jubilant.all_blocked(s, APP))
    assert 'url-prefix' in status.apps[APP].units[f'{APP}/0'].workload_status.message
    juju.config(APP, reset='url-prefix')
    juju.wait(jubilant.all_active, error=jubilant.any_error)


def test_scale_to_two(juju: jubilant.Juju):
    juju.add_unit(APP)
    status = juju.wait(
        lambda s: jubilant.all_active(s, APP) and len(s.apps[APP].units) == 2,
        error=jubilant.any_error,
    )
    units = status.apps[APP].units
    assert sorted(units) == [f'{APP}/0', f'{APP}/1']
    assert [name for name, u in units.items() if u.leader] == [f'{APP}/0']
    assert units[f'{APP}/0'].address != units[f'{APP}/1'].address

    for unit in units:
        base = unit_url(juju, unit)
        wait_for_page(f'{base}/')
        link = store(base, PASSWORD)
        assert reveal(base, link) == PASSWORD

    # One Flask secret key for the application, made by the leader and shared with its peers.
    secrets = juju.secrets()
    assert [s.owner for s in secrets] == [APP]
    peers = juju.show_unit(f'{APP}/1').relation_info
    assert [r.endpoint for r in peers] == ['snappass-peers']
    assert list(peers[0].related_units) == [f'{APP}/0']


def test_scale_back(juju: jubilant.Juju):
    juju.remove_unit(APP, num_units=1)
    status = juju.wait(
        lambda s: jubilant.all_active(s, APP) and len(s.apps[APP].units) == 1,
        error=jubilant.any_error,
    )
    assert list(status.apps[APP].units) == [f'{APP}/0']


@pytest.mark.parametrize('container', ['snappass', 'redis'])
def test_workload_containers(juju: jubilant.Juju, container: str):
    # Pebble runs each workload: its plan names the service.
    plan = juju.ssh(f'{APP}/0', f'/charm/bin/pebble plan', container=container)
    assert f'{container}:' in plan
