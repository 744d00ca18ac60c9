"""The two-container charm of the testing benchmark, in Python ops: the twin of the testing
library's fixture charm (packages/testing/src/context/fixtures/two-containers/charm.ts)."""

import ops


class TwoContainersCharm(ops.CharmBase):
    """redis first, then the web app; active once both run."""

    _stored = ops.StoredState()

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._stored.set_default(reconciles=0)
        self._statuses: list[ops.StatusBase] = []
        for event in (
            self.on.config_changed,
            self.on.redis_pebble_ready,
            self.on.web_pebble_ready,
            self.on.update_status,
            self.on.website_relation_changed,
        ):
            framework.observe(event, self._reconcile)
        framework.observe(self.on.website_relation_changed, self._share_website)
        framework.observe(self.on.ping_action, self._ping)
        framework.observe(self.on.collect_unit_status, self._collect)

    def _collect(self, event: ops.CollectStatusEvent):
        for status in self._statuses:
            event.add_status(status)

    def _reconcile(self, _event):
        self._stored.reconciles += 1
        port = self.config['port']
        redis = self.unit.get_container('redis')
        if not redis.can_connect():
            self._statuses.append(ops.WaitingStatus('waiting for the redis container'))
            return
        redis.add_layer(
            'redis',
            {'services': {'redis': {'override': 'replace', 'command': 'redis-server', 'startup': 'enabled'}}},
            combine=True,
        )
        redis.replan()
        web = self.unit.get_container('web')
        if not web.can_connect():
            self._statuses.append(ops.WaitingStatus('waiting for the web container'))
            return
        web.add_layer(
            'web',
            {
                'services': {
                    'web': {
                        'override': 'replace',
                        'command': f'web --port {port}',
                        'startup': 'enabled',
                        'environment': {'GREETING': self.config.get('greeting', 'hello')},
                    }
                }
            },
            combine=True,
        )
        web.replan()
        self.unit.set_workload_version('7.2')
        self.unit.open_port('tcp', port)
        self._statuses.append(ops.ActiveStatus())

    def _share_website(self, event: ops.RelationChangedEvent):
        port = str(self.config['port'])
        event.relation.data[self.unit].update({'hostname': 'two-containers-0', 'port': port})
        if self.unit.is_leader():
            event.relation.data[self.app]['port'] = port

    def _ping(self, event: ops.ActionEvent):
        target = event.params['target']
        container = self.unit.get_container('web' if target == 'web' else 'redis')
        event.log(f'pinging {target}')
        try:
            stdout, _ = container.exec(['redis-cli', 'ping']).wait_output()
            event.set_results({'reply': stdout.strip()})
        except ops.pebble.ExecError as error:
            event.fail(f'ping failed: {error}')
