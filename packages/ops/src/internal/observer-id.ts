/**
 * Observer ids: how a deferred event names the observer it goes back to. An id is stable when
 * observers are registered in another order (a library constructed only on some hooks, two
 * handlers swapped): it is made of the event, the handler's own name (a method, a named function)
 * or, for an anonymous handler, a hash of its source text, and the library that registered it.
 * Python ops keys deferred events the same way, by the observer object's path and method name.
 * @module
 */
import type { Observer } from '../framework.ts';

/** An older charm-ts's id (`hooks/config-changed#0`): the observer's position among the event's. */
const POSITIONAL = /#(\d+)$/;

/** FNV-1a (32 bits) of `text`, as 8 hex digits: cheap, and stable across processes. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * The handler's part of an id: its name without `bound ` (`onConfigChanged`, `#onReady`), or
 * `~` and a hash of its source for an anonymous one (the same code gives the same hash).
 */
export function handlerLabel(handler: (...args: never[]) => unknown): string {
  const name = handler.name.replace(/^(bound )+/, '');
  return name || `~${fnv1a(Function.prototype.toString.call(handler))}`;
}

/**
 * The ids of one event's observers, in registration order:
 * `<key>#<label>[@<library namespace>]`, and `:1`, `:2`, … for the second and later of one
 * label (the same method registered twice, or two handlers with the same source).
 */
export function observerIds(observers: readonly Observer[]): string[] {
  const seen = new Map<string, number>();
  return observers.map((o) => {
    const base = `${o.key}#${handlerLabel(o.handler)}${o.owner ? `@${o.owner}` : ''}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}:${n}`;
  });
}

/**
 * The observer of `observers` (one event's, in registration order) that `id` names, or
 * undefined when this charm has none (its handler was renamed, or its code changed and it is
 * anonymous). A positional id from an older charm-ts names the observer at that position.
 */
export function findObserver(observers: readonly Observer[], id: string): Observer | undefined {
  const ids = observerIds(observers);
  const at = ids.indexOf(id);
  if (at >= 0) return observers[at];
  const positional = POSITIONAL.exec(id);
  const key = observers[0]?.key;
  if (positional && key !== undefined && id === `${key}#${positional[1]}`) {
    return observers[Number(positional[1])];
  }
  return undefined;
}
