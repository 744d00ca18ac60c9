/**
 * `config APP k=v --reset KEY`: an application's settings changed and reset, checked against
 * its config.yaml, and config-changed queued on every unit when the effective settings moved.
 * @module
 */

import { configWithDefaults } from '@charm-ts/ops/metadata';
import { type CommandHost, findApp } from './command-host.ts';
import { parseConfigArgs } from './config.ts';
import { enqueue } from './events.ts';

/**
 * Sets config (`key=value`) and resets keys, then runs config-changed on every unit.
 * Returns the effective settings.
 * @throws SimError `UNKNOWN_APP`, `UNKNOWN_KEY`, `BAD_CONFIG_VALUE`.
 */
export async function configure(
  host: CommandHost,
  appName: string,
  set: readonly string[] = [],
  reset: readonly string[] = [],
): Promise<Record<string, unknown>> {
  const app = findApp(host.model, appName);
  const changes = parseConfigArgs(appName, app.charm.config, set);
  for (const key of reset) {
    if (!app.charm.config[key]) parseConfigArgs(appName, app.charm.config, [`${key}=`]);
  }
  const before = JSON.stringify(configWithDefaults(app.charm.config, app.config));
  Object.assign(app.config, changes);
  for (const key of reset) delete app.config[key];
  if (JSON.stringify(configWithDefaults(app.charm.config, app.config)) !== before) {
    for (const unit of app.units) enqueue(host.model, unit, { hook: 'config-changed' });
  }
  await host.settle();
  return configWithDefaults(app.charm.config, app.config);
}
