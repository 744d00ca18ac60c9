#!/usr/bin/env python3
"""postgresql-provider: PostgreSQL 15 in a Pebble service, behind data_interfaces' DatabaseProvides.

The library reads the requirer's request (the gunicorn charm, in TypeScript) and writes the
answer; this charm creates what was asked for in a real PostgreSQL and keeps what the library
handed it, for the show-request action.
"""

import json
import secrets
import time

import ops
from charms.data_platform_libs.v0.data_interfaces import DatabaseProvides

BIN = '/usr/lib/postgresql/15/bin'
DATA = '/var/lib/postgresql/charm-data'
# The pod's /tmp belongs to root: PostgreSQL's socket and lock live beside its data.
SOCKETS = '/var/lib/postgresql/charm-run'
PORT = 5432


def quote_literal(text):
    return "'" + text.replace("'", "''") + "'"


def quote_ident(text):
    return '"' + text.replace('"', '""') + '"'


class PostgresqlProviderCharm(ops.CharmBase):
    _stored = ops.StoredState()

    def __init__(self, framework):
        super().__init__(framework)
        self._stored.set_default(seen='', request='', answered='')
        self.database = DatabaseProvides(self, relation_name='database')
        framework.observe(self.on.postgresql_pebble_ready, self._on_pebble_ready)
        framework.observe(self.database.on.database_requested, self._on_database_requested)
        framework.observe(self.on.show_request_action, self._on_show_request)

    @property
    def _container(self):
        return self.unit.get_container('postgresql')

    def _psql(self, sql, database='postgres'):
        # SQL goes on stdin: a password never reaches a command line.
        process = self._container.exec(
            [f'{BIN}/psql', '-h', SOCKETS, '-p', str(PORT), '-U', 'postgres', '-d', database,
             '-v', 'ON_ERROR_STOP=1', '-At', '-f', '-'],
            user='postgres', stdin=sql, timeout=60,
        )
        out, _ = process.wait_output()
        return out.strip()

    def _ensure_postgres(self):
        container = self._container
        if not container.exists(f'{DATA}/PG_VERSION'):
            self.unit.status = ops.MaintenanceStatus('initdb')
            container.make_dir(DATA, make_parents=True, user='postgres', group='postgres',
                               permissions=0o700)
            container.make_dir(SOCKETS, make_parents=True, user='postgres', group='postgres',
                               permissions=0o755)
            container.exec(
                [f'{BIN}/initdb', '-D', DATA, '-U', 'postgres', '--auth-local=trust',
                 '--auth-host=scram-sha-256', '--encoding=UTF8'],
                user='postgres', timeout=120,
            ).wait_output()
            hba = container.pull(f'{DATA}/pg_hba.conf').read()
            container.push(f'{DATA}/pg_hba.conf', hba + 'host all all 0.0.0.0/0 scram-sha-256\n',
                           user='postgres', group='postgres', permissions=0o600)
        container.add_layer('postgresql', {
            'summary': 'postgresql',
            'services': {'postgresql': {
                'override': 'replace',
                'summary': 'PostgreSQL 15',
                'command': (f'{BIN}/postgres -D {DATA} -c listen_addresses=* -c port={PORT}'
                            f' -c unix_socket_directories={SOCKETS}'
                            ' -c dynamic_shared_memory_type=mmap'),
                'user': 'postgres',
                'startup': 'enabled',
            }},
        }, combine=True)
        container.replan()
        deadline = time.monotonic() + 60
        while True:
            try:
                container.exec([f'{BIN}/pg_isready', '-h', SOCKETS, '-p', str(PORT)],
                               user='postgres', timeout=10).wait_output()
                break
            except ops.pebble.ExecError:
                if time.monotonic() > deadline:
                    raise RuntimeError('PostgreSQL did not accept connections within 60 s')
                time.sleep(0.5)
        version = self._psql('SHOW server_version;')
        self.unit.status = ops.ActiveStatus(f'PostgreSQL {version}')
        return version

    def _on_pebble_ready(self, _event):
        self._ensure_postgres()

    def _on_database_requested(self, event):
        version = self._ensure_postgres()
        relation = event.relation
        self._stored.seen = json.dumps({
            'database': event.database,
            'extra_user_roles': event.extra_user_roles,
            'external_node_connectivity': event.external_node_connectivity,
        })
        self._stored.request = json.dumps({
            'app': dict(relation.data[relation.app]),
            'units': {u.name: dict(relation.data[u]) for u in sorted(relation.units, key=lambda u: u.name)},
        }, sort_keys=True)
        user = f'relation_id_{relation.id}'
        # Characters a URI must encode and libpq must quote.
        password = secrets.token_urlsafe(12) + "&@/%: '"
        self._psql(
            f'DROP ROLE IF EXISTS {quote_ident(user)};\n'
            f'CREATE ROLE {quote_ident(user)} LOGIN PASSWORD {quote_literal(password)};\n')
        exists = self._psql(
            f'SELECT 1 FROM pg_database WHERE datname = {quote_literal(event.database)};')
        if not exists:
            self._psql(f'CREATE DATABASE {quote_ident(event.database)} OWNER {quote_ident(user)};')
        address = str(self.model.get_binding('database').network.bind_address)
        self.database.set_database(relation.id, event.database)
        self.database.set_credentials(relation.id, user, password)
        self.database.set_endpoints(relation.id, f'{address}:{PORT}')
        self.database.set_version(relation.id, version)
        self.unit.status = ops.ActiveStatus(f'PostgreSQL {version}: {event.database} for {relation.app.name}')

    def _on_show_request(self, event):
        relation = self.model.get_relation('database')
        if relation is None or relation.app is None:
            event.fail('no database relation')
            return
        answer = dict(relation.data[self.app])
        fields = {}
        for key, value in answer.items():
            if key.startswith('secret-'):
                content = self.model.get_secret(id=value).peek_content()
                fields[key] = sorted(content)
        event.set_results({
            'seen': self._stored.seen,
            'request': self._stored.request,
            'answer': json.dumps({k: v for k, v in answer.items() if k != 'data'}, sort_keys=True),
            'secret-fields': json.dumps(fields, sort_keys=True),
        })


if __name__ == '__main__':
    ops.main(PostgresqlProviderCharm)
