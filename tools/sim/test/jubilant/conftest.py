"""Fixtures of the juju front's jubilant tests: a temporary model and the probe charm
($CHARM_PATH, packed by e2e/jubilant.test.ts)."""

from __future__ import annotations

import os
import pathlib
from collections.abc import Generator

import jubilant
import pytest


@pytest.fixture(scope='module')
def juju(request: pytest.FixtureRequest) -> Generator[jubilant.Juju]:
    with jubilant.temp_model() as juju:
        juju.wait_timeout = 3 * 60
        yield juju
        if request.session.testsfailed:
            print(juju.debug_log(limit=200), end='')


@pytest.fixture(scope='session')
def charm() -> pathlib.Path:
    return pathlib.Path(os.environ['CHARM_PATH'])
