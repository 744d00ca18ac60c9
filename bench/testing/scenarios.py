"""The testing benchmark's scenarios with Python ops[testing]; prints the median ms per test as JSON.

Usage: python scenarios.py ITERATIONS
"""

import json
import pathlib
import statistics
import sys
import time

import yaml
from ops import testing

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from charm import TwoContainersCharm  # noqa: E402

HERE = pathlib.Path(__file__).parent
# The charmcraft.yaml of the TypeScript twin, the testing library's fixture charm: one copy.
FIXTURE = HERE.parent.parent / 'packages/testing/src/context/fixtures/two-containers'
META = yaml.safe_load((FIXTURE / 'charmcraft.yaml').read_text())
CTX = testing.Context(
    TwoContainersCharm,
    meta={k: v for k, v in META.items() if k not in ('config', 'actions')},
    config=META['config'],
    actions=META['actions'],
)


def waits_for_redis():
    state = testing.State(
        containers={testing.Container('redis', can_connect=False), testing.Container('web', can_connect=True)}
    )
    out = CTX.run(CTX.on.config_changed(), state)
    assert out.unit_status == testing.WaitingStatus('waiting for the redis container')


def starts_redis_then_waits():
    redis = testing.Container('redis', can_connect=True)
    state = testing.State(containers={redis, testing.Container('web', can_connect=False)})
    out = CTX.run(CTX.on.pebble_ready(redis), state)
    assert out.get_container('redis').service_statuses['redis'] == testing.pebble.ServiceStatus.ACTIVE
    assert out.unit_status == testing.WaitingStatus('waiting for the web container')


def runs_both():
    web = testing.Container('web', can_connect=True)
    state = testing.State(config={'port': 8080}, containers={testing.Container('redis', can_connect=True), web})
    out = CTX.run(CTX.on.pebble_ready(web), state)
    assert out.get_container('web').plan.services['web'].command == 'web --port 8080'
    assert out.unit_status == testing.ActiveStatus()
    assert out.workload_version == '7.2'


def shares_website():
    rel = testing.Relation('website', remote_app_name='proxy')
    down = {testing.Container('redis', can_connect=False), testing.Container('web', can_connect=False)}
    out = CTX.run(CTX.on.relation_changed(rel, remote_unit=0), testing.State(leader=True, relations={rel}, containers=down))
    assert out.get_relation(rel.id).local_app_data == {'port': '5000'}


def ping_action():
    redis = testing.Container('redis', can_connect=True, execs={testing.Exec(['redis-cli', 'ping'], stdout='PONG\n')})
    CTX.run(CTX.on.action('ping', params={'target': 'redis'}), testing.State(containers={redis, testing.Container('web', can_connect=True)}))
    assert CTX.action_results == {'reply': 'PONG'}


TESTS = {
    'waits for redis': waits_for_redis,
    'starts redis, waits for web': starts_redis_then_waits,
    'runs both (pebble-ready)': runs_both,
    'shares website data (leader)': shares_website,
    'ping action (exec)': ping_action,
}


def main():
    iterations = int(sys.argv[1])
    out = {}
    for name, test in TESTS.items():
        test()  # warm-up, and the assertions hold
        times = []
        for _ in range(iterations):
            start = time.perf_counter()
            test()
            times.append((time.perf_counter() - start) * 1000)
        out[name] = statistics.median(times)
    print(json.dumps(out))


if __name__ == '__main__':
    main()
