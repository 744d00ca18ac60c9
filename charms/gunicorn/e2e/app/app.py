"""The WSGI application of the gunicorn charm's end-to-end test.

Like the original image's app, it shows its environment, one "NAME: value" line each, sorted.
It also runs SELECT 1 against the database in DB_URI, and counts gunicorn's workers (the
processes whose parent is this worker's parent, the gunicorn master).
"""

import os

import psycopg

GREETING = (
    'One of the nice things about the new operator framework is how easy it is to get started.'
)


def count_workers():
    master = os.getppid()
    count = 0
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            with open(f'/proc/{pid}/stat') as stat:
                # The command may hold spaces: the fields after its closing parenthesis.
                fields = stat.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            count += 1
    return count


def select_one(uri):
    try:
        with psycopg.connect(uri, connect_timeout=5) as connection:
            value = connection.execute('SELECT 1').fetchone()[0]
        return f'SELECT 1: {value}'
    except Exception as error:  # noqa: BLE001 - the page says what failed
        return f'SELECT 1 failed: {type(error).__name__}: {error}'


def app(environ, start_response):
    lines = [GREETING]
    lines += [f'{name}: {value}' for name, value in sorted(os.environ.items())]
    if 'DB_URI' in os.environ:
        lines.append(select_one(os.environ['DB_URI']))
    lines.append(f'workers: {count_workers()}')
    body = ('\n'.join(lines) + '\n').encode()
    start_response('200 OK', [('Content-Type', 'text/plain; charset=utf-8')])
    return [body]
