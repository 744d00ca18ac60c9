#!/usr/bin/env python3
"""The benchmark charm, Python ops side: the twin of charm.ts."""
import os

import ops
import ops.model

# ops hard-codes /charm/containers/<name>/pebble.socket; the bench's Pebble lives elsewhere.
_get_pebble = ops.model._ModelBackend.get_pebble


def _relocated(self, socket_path):
    base = os.environ['CHARM_TS_CONTAINERS_DIR']
    return _get_pebble(self, socket_path.replace('/charm/containers', base, 1))


ops.model._ModelBackend.get_pebble = _relocated


class BenchCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.config_changed, self._on_config_changed)

    def _on_config_changed(self, event):
        port = self.config['port']
        web = self.unit.get_container('web')
        web.add_layer('web', {
            'summary': 'web',
            'services': {'web': {'override': 'replace', 'command': f'/bin/sleep 360{port % 10}',
                                 'startup': 'enabled'}},
        }, combine=True)
        web.replan()
        self.unit.status = ops.ActiveStatus(f'serving on {port}')


if __name__ == '__main__':
    ops.main(BenchCharm)
