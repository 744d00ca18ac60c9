/**
 * Charm names: what a valid one is, and the spellings one name takes in code and prose.
 * @module
 */

/** charmcraft's rule for a project name (craft-application's `ProjectName`). */
const CHARMCRAFT_NAME = /^([a-z0-9][a-z0-9-]?)*[a-z]+([a-z0-9-]?[a-z0-9])*$/;
/** Juju's rule for an application name, which a deployed charm gets by default. */
const APPLICATION_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]*[a-z][a-z0-9]*)*$/;
/** charmcraft refuses longer names. */
const MAX_LENGTH = 40;
/** A container, storage or endpoint name, as charmcraft.yaml's keys (and @charm-ts/ops) take them. */
const ITEM_NAME = /^[a-z][a-z0-9]*([_-][a-z0-9]+)*$/;

/** Why `name` cannot be a charm's name, or undefined when it can. */
export function charmNameProblem(name: string): string | undefined {
  if (name === '') return 'the name is empty';
  if (name.length > MAX_LENGTH)
    return `${JSON.stringify(name)} is ${name.length} characters long: charmcraft takes at most ${MAX_LENGTH}`;
  if (!CHARMCRAFT_NAME.test(name))
    return `${JSON.stringify(name)} is not a charm name: charmcraft takes lowercase ASCII letters, digits and hyphens, with at least one letter, no hyphen at either end and no two hyphens in a row (e.g. my-redis)`;
  if (!APPLICATION_NAME.test(name))
    return `${JSON.stringify(name)} is not a charm name Juju can deploy: the application takes the charm's name, and an application name starts with a letter and has a letter in every part after a hyphen (e.g. redis-k8s, not redis-7)`;
  return undefined;
}

/** Why `name` cannot name a container (or another charmcraft.yaml item), or undefined. */
export function itemNameProblem(what: string, name: string): string | undefined {
  if (ITEM_NAME.test(name)) return undefined;
  return `${what} ${JSON.stringify(name)} is not a valid name: lowercase letters and digits, starting with a letter, in parts joined by single hyphens or underscores (e.g. redis)`;
}

/** The spellings of one hyphenated name, e.g. `hello-kubecon`. */
export interface NameForms {
  /** `hello-kubecon` */
  kebab: string;
  /** `hello_kubecon` */
  snake: string;
  /** `HelloKubecon` */
  pascal: string;
  /** `helloKubecon` */
  camel: string;
  /** `HELLO_KUBECON` */
  constant: string;
  /** `Hello Kubecon` */
  title: string;
}

/** The words of a hyphenated name: `hello-kubecon` → `['hello', 'kubecon']`. */
export function nameWords(name: string): string[] {
  return name.split('-').filter((word) => word !== '');
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** Every spelling of `name` (a valid charm name) that code and prose use. */
export function nameForms(name: string): NameForms {
  const words = nameWords(name);
  const pascal = words.map(capitalize).join('');
  return {
    kebab: words.join('-'),
    snake: words.join('_'),
    pascal,
    camel: pascal.charAt(0).toLowerCase() + pascal.slice(1),
    constant: words.join('_').toUpperCase(),
    title: words.map(capitalize).join(' '),
  };
}
