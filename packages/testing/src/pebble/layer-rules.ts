/**
 * The daemon-side layer rules the client-side validation cannot know: where a new label goes
 * (sub-directory layers and `inner`), and Pebble's own texts for a combined plan it refuses.
 * @module
 */
import { APIError, type LayerValidationError } from '@charm-ts/pebble';

/** The daemon's own text for a plan a combined layer would break (`Plan.Validate`). */
export function pebbleText(error: LayerValidationError): string {
  const detail = error.message.slice(error.key.length + 2);
  const [section, name = '', ...rest] = error.key.split('.');
  const field = rest.join('.');
  const quoted = /"([^"]*)"/.exec(detail)?.[1] ?? '';
  if (detail.includes('before/after loop')) return detail.slice(detail.indexOf('services in'));
  // Pebble's start-order check refuses a `requires` naming no service, with this text.
  if (section === 'services' && field === 'requires') return `service "${quoted}" does not exist`;
  if (section === 'services' && field === 'command')
    return `plan must define "command" for service "${name}"`;
  if (section === 'checks') {
    if (field === '')
      return `plan must specify one of "http", "tcp", or "exec" for check "${name}"`;
    if (field === 'exec.service-context') {
      return `plan check "${name}" service context specifies non-existent service "${quoted}"`;
    }
    const [kind, key] = field.split('.');
    return `plan must set "${key}" for ${kind} check "${name}"`;
  }
  if (section === 'log-targets') {
    if (field === 'type')
      return `plan must define "type" ("loki", "opentelemetry" or "syslog") for log target "${name}"`;
    if (field === 'location') return `plan must define "location" for log target "${name}"`;
    if (field === 'services') return `log target "${name}" specifies unknown service "${quoted}"`;
  }
  return detail;
}

/**
 * Where Pebble's `appendLayer` puts a new label: after the last layer of its sub-directory
 * (`dir/…`) when one exists, which is an insert (allowed only with `inner`) unless that
 * layer is the last. Throws APIError 500 like the daemon otherwise.
 */
export function insertionIndex(
  layers: ReadonlyArray<{ label: string }>,
  label: string,
  inner: boolean,
): number {
  const sub = label.split('/')[0];
  let index = layers.length;
  for (let i = layers.length - 1; i >= 0; i--) {
    if (layers[i]?.label.split('/')[0] === sub) {
      index = i + 1;
      break;
    }
  }
  if (index !== layers.length && !inner) {
    throw new APIError(500, "cannot insert sub-directory layer without 'inner' attribute set");
  }
  return index;
}
