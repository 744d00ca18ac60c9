import { describe, expect, it } from 'vitest';
import { charmNameProblem, itemNameProblem, nameForms } from './names.ts';

describe('charmNameProblem', () => {
  it.each(['redis', 'my-redis', 'redis-k8s', 'a', 'grafana-agent-k8s', 'x'.repeat(40)])(
    'takes %s',
    (name) => expect(charmNameProblem(name)).toBeUndefined(),
  );

  it.each([
    ['', 'empty'],
    ['My-Redis', 'lowercase ASCII letters'],
    ['my_redis', 'lowercase ASCII letters'],
    ['-redis', 'no hyphen at either end'],
    ['redis-', 'no hyphen at either end'],
    ['my--redis', 'no two hyphens in a row'],
    ['123', 'at least one letter'],
    ['redis.io', 'lowercase ASCII letters'],
    ['x'.repeat(41), 'at most 40'],
    // charmcraft takes these, Juju cannot name an application so.
    ['1password', 'starts with a letter'],
    ['redis-7', 'a letter in every part after a hyphen'],
  ])('refuses %j: %s', (name, why) => {
    expect(charmNameProblem(name)).toContain(why);
  });
});

describe('itemNameProblem', () => {
  it('takes container names as charmcraft.yaml does, and refuses others naming the flag', () => {
    expect(itemNameProblem('--container', 'web_app-2')).toBeUndefined();
    expect(itemNameProblem('--container', 'Web')).toMatch(/^--container "Web" is not a valid name/);
  });
});

describe('nameForms', () => {
  it('spells a name every way code and prose do', () => {
    expect(nameForms('hello-kubecon')).toEqual({
      kebab: 'hello-kubecon',
      snake: 'hello_kubecon',
      pascal: 'HelloKubecon',
      camel: 'helloKubecon',
      constant: 'HELLO_KUBECON',
      title: 'Hello Kubecon',
    });
    expect(nameForms('redis').pascal).toBe('Redis');
  });
});
