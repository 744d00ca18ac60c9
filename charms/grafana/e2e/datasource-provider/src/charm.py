#!/usr/bin/env python3
"""datasource-provider: grafana-k8s's GrafanaSourceProvider in a charm of its own."""

import json

import ops
from charms.grafana_k8s.v0.grafana_source import GrafanaSourceProvider


class DatasourceProviderCharm(ops.CharmBase):
    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self.source = GrafanaSourceProvider(
            self, source_type="prometheus", source_port="9090", extra_fields={"httpMethod": "GET"}
        )
        framework.observe(self.on.start, self._on_start)
        framework.observe(self.on.show_answer_action, self._on_show_answer)

    def _on_start(self, _event):
        self.unit.status = ops.ActiveStatus("a prometheus datasource (test charm)")

    def _on_show_answer(self, event: ops.ActionEvent):
        data = {
            uid: {"datasource_uids": d.datasource_uids, "external_url": d.external_url}
            for uid, d in self.source.get_source_data().items()
        }
        relation = self.model.get_relation("grafana-source")
        bags = {}
        if relation is not None:
            bags = {
                "app": dict(relation.data[self.app]),
                "unit": dict(relation.data[self.unit]),
                "grafana": dict(relation.data[relation.app]) if relation.app else {},
            }
        event.set_results({"answer": json.dumps(data, sort_keys=True), "bags": json.dumps(bags, sort_keys=True)})


if __name__ == "__main__":
    ops.main(DatasourceProviderCharm)
