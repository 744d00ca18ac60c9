#!/usr/bin/env python3
"""dashboard-provider: grafana-k8s's GrafanaDashboardProvider in a charm of its own."""

import json

import ops
from charms.grafana_k8s.v0.grafana_dashboard import GrafanaDashboardProvider


class DashboardProviderCharm(ops.CharmBase):
    _stored = ops.StoredState()

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._stored.set_default(statuses="[]")
        self.dashboards = GrafanaDashboardProvider(self)
        framework.observe(self.dashboards.on.dashboard_status_changed, self._on_status)
        framework.observe(self.on.start, self._on_start)
        framework.observe(self.on.show_status_action, self._on_show_status)

    def _on_start(self, _event):
        self.unit.status = ops.ActiveStatus("offers one dashboard (test charm)")

    def _on_status(self, event):
        statuses = json.loads(self._stored.statuses)
        statuses.append({"valid": event.valid, "errors": event.errors})
        self._stored.statuses = json.dumps(statuses)

    def _on_show_status(self, event: ops.ActionEvent):
        relation = self.model.get_relation("grafana-dashboard")
        templates = {}
        if relation is not None:
            templates = json.loads(relation.data[self.app].get("dashboards", "{}")).get("templates", {})
        event.set_results({"statuses": self._stored.statuses, "templates": json.dumps(sorted(templates))})


if __name__ == "__main__":
    ops.main(DashboardProviderCharm)
