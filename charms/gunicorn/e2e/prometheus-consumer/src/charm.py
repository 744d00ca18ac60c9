#!/usr/bin/env python3
"""prometheus-consumer: prometheus-k8s's scrape library on the consumer side, in a charm of its own.

The library reads what the provider (the gunicorn charm, in TypeScript) wrote and turns it into
Prometheus scrape jobs, as Prometheus would load them.
"""

import json

import ops
from charms.prometheus_k8s.v0.prometheus_scrape import MetricsEndpointConsumer


class PrometheusConsumerCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        self.metrics = MetricsEndpointConsumer(self)
        framework.observe(self.metrics.on.targets_changed, self._on_targets_changed)
        framework.observe(self.on.show_jobs_action, self._on_show_jobs)
        framework.observe(self.on.start, self._on_targets_changed)

    def _on_targets_changed(self, _event):
        self.unit.status = ops.ActiveStatus(f'{len(self.metrics.jobs())} scrape job(s)')

    def _on_show_jobs(self, event):
        relation = self.model.get_relation('metrics-endpoint')
        bags = {}
        if relation is not None and relation.app is not None:
            bags = {
                'app': dict(relation.data[relation.app]),
                'units': {u.name: dict(relation.data[u]) for u in sorted(relation.units, key=lambda u: u.name)},
            }
        event.set_results({
            'jobs': json.dumps(self.metrics.jobs(), sort_keys=True),
            'alerts': json.dumps(self.metrics.alerts, sort_keys=True),
            'bags': json.dumps(bags, sort_keys=True),
        })


if __name__ == '__main__':
    ops.main(PrometheusConsumerCharm)
