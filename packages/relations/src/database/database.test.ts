import { describe, expect, it } from 'vitest';
import { RelationDataError } from '../errors.ts';
import { databaseProviderAppBag, readDatabaseRequirerAppBag } from './provider.ts';
import { databaseRequirerAppBag, readDatabaseProviderAppBag } from './requirer.ts';
import { databaseSecretLabel, formatDatabaseEndpoints, parseDatabaseEndpoints } from './schema.ts';

const REF = ['provider application bag', 'endpoints'] as const;

describe('database endpoints', () => {
  it('reads host:port lists, IPv6 in brackets, a host without a port', () => {
    expect(parseDatabaseEndpoints('pg-0.pg:5432, 10.0.0.6:5433,[fd00::1]:5432,db', ...REF)).toEqual(
      [
        { host: 'pg-0.pg', port: 5432 },
        { host: '10.0.0.6', port: 5433 },
        { host: 'fd00::1', port: 5432 },
        { host: 'db' },
      ],
    );
    expect(parseDatabaseEndpoints(undefined, ...REF)).toEqual([]);
    expect(parseDatabaseEndpoints(' ', ...REF)).toEqual([]);
  });

  it('writes them back the same way', () => {
    const text = 'pg-0.pg:5432,[fd00::1]:5432,db';
    expect(formatDatabaseEndpoints(parseDatabaseEndpoints(text, ...REF))).toBe(text);
  });

  it.each([
    ['h:0', /port that is not 1 to 65535 in "h:0"/],
    ['h:5432,h:x', /port that is not 1 to 65535 in "h:x"/],
    ['h:70000', /port that is not 1 to 65535/],
    ['h:5432,,h:1', /entry without a host/],
  ])('refuses %s, naming the bag and key', (value, why) => {
    const error = (() => {
      try {
        parseDatabaseEndpoints(value, ...REF);
      } catch (e) {
        return e;
      }
    })() as RelationDataError;
    expect(error).toBeInstanceOf(RelationDataError);
    expect(error.message).toMatch(/^database: provider application bag, key 'endpoints': /);
    expect(error.message).toMatch(why);
  });
});

describe('database requirer', () => {
  it('names secrets as the library labels them', () => {
    expect(databaseSecretLabel('pg', 7, 'user')).toBe('pg.7.user.secret');
  });

  it('refuses an empty database name', () => {
    expect(() => databaseRequirerAppBag({ database: '' })).toThrow(
      "database: requirer application bag, key 'database': must be a database name, not empty",
    );
  });

  it('leaves out provided-secrets across models', () => {
    expect(databaseRequirerAppBag({ database: 'a', crossModel: true })).toEqual({
      'requested-secrets':
        '["username", "password", "tls", "tls-ca", "uris", "read-only-uris", "entity-name", "entity-password"]',
      database: 'a',
    });
  });

  it('is not ready until both username and password are there', () => {
    expect(readDatabaseProviderAppBag({ endpoints: 'h:1', username: 'u' })).toBeUndefined();
    expect(readDatabaseProviderAppBag({ 'secret-user': 'secret:x' }, { user: {} })).toBeUndefined();
    expect(
      readDatabaseProviderAppBag(
        { 'secret-user': 'secret:x', endpoints: 'h:1' },
        {
          user: { username: 'u', password: 'p' },
        },
      ),
    ).toMatchObject({ username: 'u', password: 'p', endpoints: [{ host: 'h', port: 1 }] });
  });

  it('names the bag and key of unreadable endpoints, never the credentials', () => {
    const read = () =>
      readDatabaseProviderAppBag({
        username: 'u',
        password: 'hunter2',
        'read-only-endpoints': 'h:x',
      });
    expect(read).toThrow(/key 'read-only-endpoints'/);
    expect(read).not.toThrow(/hunter2/);
  });
});

describe('database provider', () => {
  it('waits for the requirer to name its database', () => {
    expect(readDatabaseRequirerAppBag({})).toBeUndefined();
    expect(readDatabaseRequirerAppBag({ 'requested-secrets': '[]' })).toBeUndefined();
  });

  it('needs the id of each secret it puts fields in', () => {
    const request = {
      database: 'a',
      requestedSecrets: ['username', 'password'],
      externalNodeConnectivity: false,
    };
    expect(() => databaseProviderAppBag({ username: 'u', password: 'p' }, request)).toThrow(
      "database: provider application bag, key 'secret-user': needs the id of the user secret",
    );
    expect(
      databaseProviderAppBag({ username: 'u', password: 'p' }, request, { user: 'secret:1' }),
    ).toEqual({ 'secret-user': 'secret:1' });
    // Without secrets in this Juju, the same answer goes in clear.
    expect(databaseProviderAppBag({ username: 'u', password: 'p' }, request, {}, false)).toEqual({
      username: 'u',
      password: 'p',
    });
  });

  it('refuses an answer without credentials', () => {
    const request = { database: 'a', externalNodeConnectivity: false };
    expect(() => databaseProviderAppBag({ username: 'u', password: '' }, request)).toThrow(
      /key 'password': must not be empty/,
    );
  });
});
