"""charm-sim's juju front through jubilant: every call jubilant makes for a charm's integration
tests, and what comes back read by jubilant's own types (which raise on a missing field).

The expected key sets are those of Juju 3.6.1 on MicroK8s, as recorded in jubilant's unit tests
(tests/unit/fake_statuses.py, fake_unitinfo.py, fake_secrets.py)."""

from __future__ import annotations

import json
import pathlib

import jubilant
import pytest
import yaml

# What a Kubernetes model's `juju status --format json` has per application and unit. An
# application's `provider-id` and `address` are its Kubernetes service's, which charm-sim
# does not have: left out (jubilant reads them as optional).
APP_KEYS = {
    'charm', 'base', 'charm-origin', 'charm-name', 'charm-rev', 'charm-channel', 'scale',
    'provider-id', 'address', 'exposed', 'application-status', 'relations', 'units',
    'endpoint-bindings', 'version', 'life',
}  # fmt: skip
APP_REQUIRED = {'charm', 'charm-origin', 'charm-name', 'charm-rev', 'exposed', 'application-status'}
UNIT_KEYS = {'workload-status', 'juju-status', 'leader', 'address', 'provider-id', 'open-ports', 'life'}
UNIT_REQUIRED = {'workload-status', 'juju-status', 'address', 'provider-id'}
STATUS_KEYS = {'current', 'message', 'since', 'version'}
RESOURCES = {'workload-image': 'ops-probe-workload'}


def test_deploy_relate_and_wait(juju: jubilant.Juju, charm: pathlib.Path):
    juju.deploy(charm, 'provider', resources=RESOURCES, config={'greeting': 'hi'})
    juju.deploy(charm, 'requirer', resources=RESOURCES, num_units=2)
    juju.integrate('provider:db', 'requirer:backend')
    status = juju.wait(jubilant.all_active, error=jubilant.any_error)
    assert jubilant.all_agents_idle(status)
    assert status.apps['provider'].units['provider/0'].workload_status.message == 'hi on 8080'


def test_status_is_jujus_schema(juju: jubilant.Juju):
    raw = json.loads(juju.cli('status', '--format', 'json'))
    status = jubilant.Status._from_dict(raw)  # KeyError on any missing required field
    assert (status.model.type, status.model.version) == ('caas', '3.6.4')
    assert raw['machines'] == {}
    for app in raw['applications'].values():
        assert APP_REQUIRED <= set(app) <= APP_KEYS
        assert set(app['application-status']) <= STATUS_KEYS
        for unit in app['units'].values():
            assert UNIT_REQUIRED <= set(unit) <= UNIT_KEYS
            assert set(unit['workload-status']) <= STATUS_KEYS
            assert unit['juju-status']['version'] == '3.6.4'
    provider = status.apps['provider']
    assert (provider.charm, provider.charm_origin, provider.charm_rev) == (
        'local:ops-probe-0',
        'local',
        0,
    )
    assert provider.base == jubilant.statustypes.FormattedBase(name='ubuntu', channel='22.04')
    assert provider.units['provider/0'].leader
    assert provider.relations['db'] == [
        jubilant.statustypes.AppStatusRelation(
            related_app='requirer', interface='probe-db', scope='global'
        )
    ]
    assert provider.relations['cluster'][0].related_app == 'provider'  # peers
    assert status.apps['requirer'].version == '1.0'

    as_yaml = yaml.safe_load(juju.cli('status', '--format', 'yaml'))
    for doc in (raw, as_yaml):
        doc.pop('controller')
    assert as_yaml == raw


def test_show_unit(juju: jubilant.Juju):
    info = juju.show_unit('requirer/1')
    assert info.charm == 'local:ops-probe-0'
    assert not info.leader
    backend = next(r for r in info.relation_info if r.endpoint == 'backend')
    assert backend.related_endpoint == 'db'
    assert backend.app_data['secret-id'].startswith('secret:')  # the provider's bag
    assert list(backend.related_units) == ['provider/0']
    assert backend.related_units['provider/0'].in_scope
    peers = next(r for r in info.relation_info if r.endpoint == 'cluster')
    assert list(peers.related_units) == ['requirer/0']


def test_run_an_action(juju: jubilant.Juju):
    task = juju.run('provider/leader', 'info', {'extra': 'given'})
    assert task.success
    assert task.results['extra'] == 'given'
    assert task.results['leader'] == 'True'
    assert task.return_code == 0
    assert len(task.log) == 1 and task.log[0].endswith(' collecting info')


def test_a_failing_action_raises_task_error(juju: jubilant.Juju):
    with pytest.raises(jubilant.TaskError) as raised:
        juju.run('requirer/0', 'fail', {'reason': 'asked'})
    assert raised.value.task.status == 'failed'
    assert raised.value.task.message == 'failed because asked'


def test_an_unknown_action_or_bad_params_is_value_error(juju: jubilant.Juju):
    with pytest.raises(ValueError):
        juju.run('provider/0', 'no-such-action')
    with pytest.raises(ValueError):
        juju.run('provider/0', 'fail')  # `reason` is required


def test_exec_in_the_hook_context(juju: jubilant.Juju):
    task = juju.exec('echo $JUJU_UNIT_NAME; is-leader', unit='requirer/1')
    assert task.stdout == 'requirer/1\nFalse\n'
    with pytest.raises(jubilant.TaskError) as raised:
        juju.exec('echo oops >&2; exit 3', unit='requirer/leader')
    assert (raised.value.task.return_code, raised.value.task.stderr) == (3, 'oops\n')


def test_ssh_into_a_container(juju: jubilant.Juju):
    assert juju.ssh('provider/0', 'cat /etc/ops-probe.conf', container='workload') == 'port=8080\n'
    assert juju.ssh('provider/0', 'ls', '/charm/containers') == 'workload\n'


def test_config(juju: jubilant.Juju):
    config = juju.config('provider')
    assert (config['greeting'], config['port'], config['verbose']) == ('hi', 8080, False)
    assert 'ratio' not in config  # no default, unset
    assert juju.config('provider', app_config=True) == {'trust': False}
    juju.config('provider', {'greeting': 'hello there', 'ratio': 0.5})
    assert juju.config('provider')['ratio'] == 0.5
    status = juju.wait(jubilant.all_active)
    assert status.apps['provider'].app_status.message == 'hello there on 8080'
    juju.config('provider', reset=['greeting', 'ratio'])
    assert juju.config('provider')['greeting'] == 'hello'


def test_secrets(juju: jubilant.Juju):
    [secret] = juju.secrets()
    assert (secret.owner, secret.label, secret.revision) == ('provider', 'db-password', 1)
    revealed = juju.show_secret(secret.uri, reveal=True)
    assert revealed.content == {'password': 'pw-revision-1'}
    juju.run('provider/0', 'rotate-secret')
    assert juju.show_secret(secret.uri, reveal=True).content == {'password': 'pw-revision-2'}
    # The probe removes a revision once no consumer tracks it (secret-remove), as Juju asks.
    revisions = juju.show_secret(secret.uri, revisions=True).revisions or []
    assert [r.revision for r in revisions] == [2]
    assert secret.created <= revisions[0].created


def test_model_commands(juju: jubilant.Juju):
    assert juju.version().tuple == (3, 6, 4)
    assert juju.model_config() == {'update-status-hook-interval': '5m'}
    juju.model_config({'update-status-hook-interval': '10s'})
    assert juju.model_config()['update-status-hook-interval'] == '10s'
    juju.model_config(reset='update-status-hook-interval')
    info = juju.show_model()
    assert (info.short_name, info.model_type, info.controller_name) == (
        juju.model,
        'caas',
        'charm-sim',
    )
    assert 'ran "install" hook' in juju.debug_log()


def test_scale_refresh_and_remove(juju: jubilant.Juju, charm: pathlib.Path):
    juju.add_unit('provider')
    juju.wait(lambda s: len(s.apps['provider'].units) == 2 and jubilant.all_active(s))
    juju.remove_unit('provider', num_units=1)
    juju.refresh('provider', path=charm)
    status = juju.wait(lambda s: s.apps['provider'].charm_rev == 1 and jubilant.all_active(s))
    assert list(status.apps['provider'].units) == ['provider/0']
    juju.remove_relation('provider', 'requirer')
    juju.remove_application('requirer', 'provider')
    juju.wait(lambda s: not s.apps)
