#!/usr/bin/env python3
"""ops-probe: a Python ops charm used to prove charm-sim against a client it did not write."""

import json
import logging

import ops

logger = logging.getLogger(__name__)


class ProbeCharm(ops.CharmBase):
    _stored = ops.StoredState()

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._stored.set_default(events=[], backend='', password_len=0, password_rev='')
        for bound in self.on.events().values():
            if issubclass(bound.event_type, ops.HookEvent):
                framework.observe(bound, self._record)
        framework.observe(self.on.workload_pebble_ready, self._reconcile)
        framework.observe(self.on.config_changed, self._reconcile)
        framework.observe(self.on.db_relation_created, self._on_db_created)
        framework.observe(self.on.db_relation_joined, self._on_db_joined)
        framework.observe(self.on.backend_relation_changed, self._on_backend_changed)
        framework.observe(self.on.secret_changed, self._on_secret_changed)
        framework.observe(self.on.secret_remove, self._on_secret_remove)
        framework.observe(self.on.fetch_action, self._on_fetch)
        framework.observe(self.on.info_action, self._on_info)
        framework.observe(self.on.fail_action, self._on_fail)
        framework.observe(self.on.rotate_secret_action, self._on_rotate)
        framework.observe(self.on.notify_action, self._on_notify)
        framework.observe(self.on.stop_service_action, self._on_stop_service)
        framework.observe(self.on.start_service_action, self._on_start_service)

    # Every hook lands here first: record it, and fail or hang when config says so.
    def _record(self, event: ops.EventBase):
        name = event.handle.kind
        entry = name
        if isinstance(event, ops.RelationEvent):
            unit = event.unit.name if event.unit else ''
            entry = f'{name}:{event.relation.id}:{unit}'
        if isinstance(event, ops.PebbleCustomNoticeEvent):
            entry = f'{name}:{event.notice.key}'
        if isinstance(event, ops.PebbleCheckEvent):
            entry = f'{name}:{event.info.name}'
        self._stored.events.append(entry)
        if isinstance(event, (ops.RelationDepartedEvent, ops.RelationBrokenEvent)):
            self._log_relations(event)
        if self.config.get('fail-hook') and self.config['fail-hook'] == name:
            raise RuntimeError(f'failing {name} on purpose')
        if self.config.get('sleep-hook') and self.config['sleep-hook'] == name:
            import time

            time.sleep(600)

    def _log_relations(self, event: ops.RelationEvent):
        # What Python ops shows of the relation (model.relations, Relation.units) beside what
        # the hook tool answers, for the e2e test to compare with Juju's behaviour.
        import subprocess

        endpoint = event.relation.name
        raw = subprocess.run(
            ['relation-ids', '--format=json', endpoint], capture_output=True, text=True, check=True
        ).stdout
        seen = {
            'event': event.handle.kind,
            'model.relations': [r.id for r in self.model.relations[endpoint]],
            'relation-ids': json.loads(raw or '[]'),
            'units': sorted(u.name for u in event.relation.units),
            # Python ops keeps a departed unit's bag readable (not on peer relations).
            'remote-unit-keys': (
                sorted(event.relation.data[event.unit])
                if event.unit and event.unit in event.relation.data
                else []
            ),
        }
        logger.info('relations seen %s', json.dumps(seen, sort_keys=True))

    def _reconcile(self, _event: ops.EventBase):
        container = self.unit.get_container('workload')
        if not container.can_connect():
            self.unit.status = ops.WaitingStatus('waiting for Pebble')
            return
        port = int(self.config['port'])
        layer = {
            'summary': 'probe',
            'services': {
                'http': {
                    'override': 'replace',
                    'command': f'python3 -m http.server {port} --bind 0.0.0.0 --directory /data',
                    'startup': 'enabled',
                }
            },
            'checks': {
                'up': {
                    'override': 'replace',
                    'period': '1s',
                    'threshold': 3,
                    'tcp': {'port': port},
                }
            },
        }
        container.add_layer('probe', layer, combine=True)
        container.replan()
        # The container's root is the host, read-only, under a writable layer: this write
        # must land in the layer, not on the host.
        container.push('/etc/ops-probe.conf', f'port={port}\n')
        container.push('/data/index.html', f'{self.config["greeting"]} from {self.unit.name}\n', make_dirs=True)
        self.unit.set_workload_version('1.0')
        self.unit.status = ops.ActiveStatus(f'{self.config["greeting"]} on {port}')

    def _address(self) -> str:
        binding = self.model.get_binding('db')
        return str(binding.network.bind_address) if binding else ''

    def _on_db_created(self, event: ops.RelationCreatedEvent):
        if not self.unit.is_leader():
            return
        secret = self.app.add_secret({'password': 'pw-revision-1'}, label='db-password')
        secret.grant(event.relation)
        event.relation.data[self.app]['secret-id'] = secret.id or ''

    def _on_db_joined(self, event: ops.RelationJoinedEvent):
        event.relation.data[self.unit]['address'] = self._address()
        if self.unit.is_leader():
            url = f'http://{self._address()}:{self.config["port"]}'
            event.relation.data[self.app]['endpoint'] = url

    def _on_backend_changed(self, event: ops.RelationChangedEvent):
        endpoint = event.relation.data[event.app].get('endpoint', '')
        self._stored.backend = endpoint
        secret_id = event.relation.data[event.app].get('secret-id')
        if secret_id:
            secret = self.model.get_secret(id=secret_id, label='backend-password')
            content = secret.get_content()
            self._stored.password_rev = content['password'].rsplit('-', 1)[-1]
        if endpoint:
            self.unit.status = ops.ActiveStatus(f'backend at {endpoint}')

    def _on_secret_changed(self, event: ops.SecretChangedEvent):
        content = event.secret.get_content(refresh=True)
        self._stored.password_rev = content['password'].rsplit('-', 1)[-1]

    def _on_secret_remove(self, event: ops.SecretRemoveEvent):
        event.remove_revision()

    def _on_fetch(self, event: ops.ActionEvent):
        import urllib.request

        with urllib.request.urlopen(event.params['url'], timeout=5) as response:
            event.set_results({'body': response.read().decode()})

    def _on_info(self, event: ops.ActionEvent):
        peers = self.model.get_relation('cluster')
        event.log('collecting info')
        event.set_results(
            {
                'leader': str(self.unit.is_leader()),
                'greeting': self.config['greeting'],
                'port': str(self.config['port']),
                'ratio': str(self.config.get('ratio')),
                'extra': event.params['extra'],
                'events': json.dumps(list(self._stored.events)),
                'peers': ','.join(sorted(u.name for u in peers.units)) if peers else '',
                'backend': self._stored.backend,
                'password-rev': self._stored.password_rev,
                'address': self._address(),
            }
        )

    def _on_fail(self, event: ops.ActionEvent):
        event.fail(f'failed because {event.params["reason"]}')

    def _on_rotate(self, event: ops.ActionEvent):
        secret = self.model.get_secret(label='db-password')
        content = secret.get_content(refresh=True)
        revision = int(content['password'].rsplit('-', 1)[-1]) + 1
        secret.set_content({'password': f'pw-revision-{revision}'})
        event.set_results({'revision': str(revision)})

    def _on_notify(self, event: ops.ActionEvent):
        self.unit.get_container('workload').pebble.notify(
            ops.pebble.NoticeType.CUSTOM, 'probe.example/ping'
        )

    def _on_stop_service(self, event: ops.ActionEvent):
        self.unit.get_container('workload').stop('http')

    def _on_start_service(self, event: ops.ActionEvent):
        self.unit.get_container('workload').start('http')


if __name__ == '__main__':
    ops.main(ProbeCharm)
