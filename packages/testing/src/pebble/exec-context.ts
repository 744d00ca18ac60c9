/**
 * What an exec runs with, as Pebble computes it: the service context's environment, user and
 * working directory, then the request's; PATH, HOME, USER and LANG defaults; the working
 * directory checked to exist.
 * @module
 */

import type { ExecOptions, Plan } from '@charm-ts/pebble';
import { APIError } from '@charm-ts/pebble';
import type { ExecContext } from './exec.ts';

/**
 * The context of `command`. Throws APIError 400 for an unknown service context, 500 for a
 * working directory that does not exist (Pebble's texts).
 */
export function execContext(
  command: readonly string[],
  options: ExecOptions,
  plan: Plan,
  isDir: (path: string) => boolean,
): Omit<ExecContext, 'stdin'> {
  let environment: Record<string, string> = {};
  let workingDir = options.workingDir;
  const context: Omit<ExecContext, 'stdin'> = {
    command: [...command],
    environment,
    workingDir: '',
  };
  if (options.serviceContext !== undefined) {
    const service = plan.services[options.serviceContext];
    if (!service) throw new APIError(400, `context service "${options.serviceContext}" not found`);
    environment = { ...service.environment };
    workingDir ??= service['working-dir'];
    context.serviceContext = options.serviceContext;
    if (service.user !== undefined) context.user = service.user;
    if (service['user-id'] !== undefined) context.userId = service['user-id'];
    if (service.group !== undefined) context.group = service.group;
    if (service['group-id'] !== undefined) context.groupId = service['group-id'];
  }
  if (options.user !== undefined) context.user = options.user;
  if (options.userId !== undefined) context.userId = options.userId;
  if (options.group !== undefined) context.group = options.group;
  if (options.groupId !== undefined) context.groupId = options.groupId;
  const home = context.userId === undefined || context.userId === 0 ? '/root' : '/';
  environment = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: home,
    USER: context.user ?? 'root',
    LANG: 'C.UTF-8',
    ...environment,
    ...options.environment,
  };
  context.environment = environment;
  if (workingDir === undefined) {
    workingDir = isDir(environment.HOME ?? '/') ? (environment.HOME as string) : '/';
  } else if (!isDir(workingDir)) {
    throw new APIError(500, `cannot call exec: working directory "${workingDir}" does not exist`);
  }
  context.workingDir = workingDir;
  return context;
}
