#!/usr/bin/env python3
"""ingress-provider: traefik-k8s's ingress v2 provider library in a charm of its own.

The library decodes and validates what the requirer (hello-kubecon, in TypeScript) wrote; this
charm keeps what the library handed it and answers with a URL through the library.
"""

import json

import ops
from charms.traefik_k8s.v2.ingress import DataValidationError, IngressPerAppProvider

EXTERNAL_HOST = 'ingress.example'


class IngressProviderCharm(ops.CharmBase):
    _stored = ops.StoredState()

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._stored.set_default(provided='', published='')
        self.ingress = IngressPerAppProvider(self)
        framework.observe(self.ingress.on.data_provided, self._on_data_provided)
        framework.observe(self.ingress.on.data_removed, self._on_data_removed)
        framework.observe(self.on.show_request_action, self._on_show_request)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _event: ops.StartEvent):
        self.unit.status = ops.ActiveStatus('no requirer yet')

    def _on_data_provided(self, event):
        # Exactly the event's fields: what the library decoded from the requirer's bags.
        provided = {
            'name': event.name,
            'model': event.model,
            'hosts': event.hosts,
            'strip_prefix': event.strip_prefix,
            'redirect_https': event.redirect_https,
        }
        self._stored.provided = json.dumps(provided, sort_keys=True)
        port = self.ingress.get_data(event.relation).app.port
        url = f'http://{EXTERNAL_HOST}/{event.model}-{event.name}'
        if self.unit.is_leader():
            self.ingress.publish_url(event.relation, url)
            self._stored.published = url
        hosts = ', '.join(f"{h['host']}@{h.get('ip')}" for h in event.hosts)
        self.unit.status = ops.ActiveStatus(f'{event.name} -> [{hosts}]:{port}')

    def _on_data_removed(self, _event):
        self._stored.provided = ''
        self._stored.published = ''
        self.unit.status = ops.ActiveStatus('no requirer')

    def _on_show_request(self, event: ops.ActionEvent):
        relation = self.model.get_relation('ingress')
        if relation is None or relation.app is None:
            event.fail('no ingress relation')
            return
        try:
            data = self.ingress.get_data(relation)
        except DataValidationError as e:
            event.fail(f'the library refuses the requirer data: {e}')
            return
        decoded = {
            'app': data.app.model_dump(mode='json', by_alias=True),
            'units': [unit.model_dump(mode='json') for unit in data.units],
        }
        bags = {
            'app': dict(relation.data[relation.app]),
            'units': {unit.name: dict(relation.data[unit]) for unit in sorted(relation.units, key=lambda u: u.name)},
        }
        event.set_results({
            'provided': self._stored.provided,
            'decoded': json.dumps(decoded, sort_keys=True),
            'bags': json.dumps(bags, sort_keys=True),
            'published': self._stored.published,
        })


if __name__ == '__main__':
    ops.main(IngressProviderCharm)
