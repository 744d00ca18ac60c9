"""Fixtures of the integration tests: a temporary Juju model and the packed charm.

The tests drive whatever `juju` is on PATH through jubilant, as on a Kubernetes cloud with a
bootstrapped controller. The repository runs them against charm-sim's `juju` shim (see
e2e/jubilant.test.ts); nothing here knows about that.
"""

from __future__ import annotations

import os
import pathlib
from collections.abc import Generator

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
    packed = sorted(CHARM_DIR.glob('dist/snappass_ubuntu-22.04-amd64*.charm'))
    if not packed:
        pytest.fail(f'no packed charm in {CHARM_DIR / "dist"}: run pnpm build, or set CHARM_PATH')
    return packed[0]
