import { readDatabaseProviderAppBag } from '@charm-ts/relations';
import { describe, expect, it } from 'vitest';
import { contextNames, libpqConnectionString, passwordForms, pgContext } from './context.ts';

const answer = (bag: Record<string, string>) => {
  const read = readDatabaseProviderAppBag({ username: 'u@x', password: "p'w d", ...bag });
  if (!read) throw new Error('no answer');
  return read;
};

describe('the pg context', () => {
  it("has the original's db_uri, conn_str and ro_uris, and the parts", () => {
    expect(
      pgContext(
        answer({
          endpoints: '10.0.0.5:5432',
          'read-only-endpoints': '10.0.0.6:5432,[fd00::7]',
          version: '15.4',
        }),
        'app',
      ),
    ).toEqual({
      db_uri: "postgresql://u%40x:p'w%20d@10.0.0.5:5432/app",
      conn_str: "dbname=app host=10.0.0.5 password='p\\'w d' port=5432 user=u@x",
      ro_uris:
        "postgresql://u%40x:p'w%20d@10.0.0.6:5432/app,postgresql://u%40x:p'w%20d@[fd00::7]:5432/app",
      host: '10.0.0.5',
      port: '5432',
      user: 'u@x',
      password: "p'w d",
      database: 'app',
      version: '15.4',
    });
  });

  it('names the database the provider gives, and waits for an endpoint', () => {
    expect(pgContext(answer({ endpoints: 'h', database: 'given' }), 'asked')?.database).toBe(
      'given',
    );
    expect(pgContext(answer({}), 'asked')).toBeUndefined();
  });

  it('knows every form the password takes, to keep each out of what is shown', () => {
    expect(passwordForms("p'w d")).toEqual(["p'w d", "p'w%20d", "'p\\'w d'"]);
    expect(passwordForms('plain')).toEqual(['plain']);
  });

  it('quotes libpq values only where libpq needs it', () => {
    expect(libpqConnectionString({ user: 'a', dbname: '', host: 'x\\y' })).toBe(
      "dbname='' host='x\\\\y' user=a",
    );
  });

  it('lists names, sorted, as the action shows them', () => {
    expect(contextNames({ pg: { b: '1', a: '2' }, influxdb: { hostname: 'h' } })).toEqual([
      'influxdb.hostname',
      'pg.a',
      'pg.b',
    ]);
  });
});
