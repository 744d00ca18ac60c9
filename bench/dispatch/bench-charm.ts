// The benchmark charm, TypeScript side: config-changed reads config, adds a layer, replans and
// sets a status. Everything else is ignored. Its twin is charm.py (Python ops). charm.ts runs it;
// snapshot-entry.ts puts it in a V8 startup snapshot.
import { Charm, type CharmRuntimeMeta, type Framework, Status } from '@charm-ts/ops';

export const meta: CharmRuntimeMeta = {
  name: 'bench',
  config: { port: { type: 'int', default: 8080 } },
  actions: {},
  endpoints: { requires: {}, provides: {}, peers: {} },
  containers: { web: {} },
  storage: {},
};

interface Types {
  config: { port: number };
  actions: Record<string, never>;
  endpoints: never;
  containers: 'web';
  storages: never;
}

export class BenchCharm extends Charm<Types> {
  constructor(framework: Framework) {
    super(framework);
    this.on.configChanged(async () => {
      const { port } = await this.config();
      const web = this.unit.container('web');
      await web.addLayer('web', {
        summary: 'web',
        services: {
          web: { override: 'replace', command: `/bin/sleep 360${port % 10}`, startup: 'enabled' },
        },
      });
      await web.replan();
      this.addStatus(Status.active(`serving on ${port}`));
    });
  }
}
