/**
 * Pebble's OpenMetrics text, one block per metric.
 * @module
 */

/** One metric in Pebble's OpenMetrics writer format. */
export function metric(
  name: string,
  type: string,
  help: string,
  labels: string,
  value: number,
): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name}${labels} ${value}\n\n`;
}
