/**
 * The hook-tool contract suite (`@charm-ts/juju-model/contract`) against MemoryHookTools: every
 * Juju behaviour charm-sim's executables show, the in-memory tools must show too. A failure
 * here is fixed in @charm-ts/juju-model (the rules) or in MemoryHookTools (the adapter).
 */
import {
  CREDENTIAL_DENIED,
  declaredStorage,
  newSecretId,
  resourceNotFound,
  runError,
} from '@charm-ts/juju-model';
import { describeHookToolContract } from '@charm-ts/juju-model/contract';
import { newWorld } from '../context/world-build.ts';
import { MemoryHookTools } from './memory-hook-tools.ts';

describeHookToolContract({
  name: 'MemoryHookTools',
  async open({ model, unit, hook, action }) {
    const app = model.apps[model.units[unit]?.app ?? ''];
    const world = newWorld({
      model,
      unit,
      hook,
      action,
      host: (w) => ({
        now: () => Date.now(),
        log: (level, message) => w.logs.push({ level: level as 'INFO', message }),
        changed: () => {},
        network: () => {
          const address = model.units[unit]?.address ?? '';
          return {
            bindAddresses: [
              {
                macAddress: '',
                interfaceName: 'eth0',
                addresses: [{ hostname: '', value: address, cidr: `${address}/32` }],
              },
            ],
            egressSubnets: [`${address}/32`],
            ingressAddresses: [address],
          };
        },
        extraBindings: [],
        storage: () => (app ? declaredStorage(app.charm) : []),
        resource: (name) => {
          throw runError(resourceNotFound(app?.name ?? '', name));
        },
        credential: () => {
          throw runError(CREDENTIAL_DENIED);
        },
        newSecretId,
      }),
    });
    return { tools: new MemoryHookTools(world), close: async () => {} };
  },
});
