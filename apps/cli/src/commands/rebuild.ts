import type { ProjectionStatus, RebuildStatus } from '@app/read-models';
import { ApiClient, EXIT, sleep } from '../api-client';
import { ProgressBar } from '../progress-bar';

/** `rebuild [name]`: builds a new generation beside the live one and waits for the switch. */
export async function rebuild(api: ApiClient, name: string): Promise<number> {
  const started = await api.ok(api.post<RebuildStatus>(`/admin/projections/${encodeURIComponent(name)}/rebuild`, {}));
  const bar = new ProgressBar(`rebuild ${name} → generation ${started.generation}`, Math.max(started.eventsTotal, 1));
  for (;;) {
    const { items } = await api.ok(api.get<{ items: ProjectionStatus[] }>('/admin/projections'));
    const current = items.find((p) => p.name === name);
    const r = current?.rebuild;
    // Beside apps/projector the request is served by the projector process, which picks the generation.
    if (r && r.generation >= started.generation && r.startedAt >= started.startedAt.slice(0, 19)) {
      bar.update(r.eventsDone, r.eventsTotal, r.state === 'requested' ? 'waiting for the projector' : r.etaSeconds !== null ? `ETA ${r.etaSeconds} s` : '');
      if (r.state === 'done') {
        bar.finish(`generation ${r.generation} is live (${r.eventsDone} events)`);
        return EXIT.ok;
      }
      if (r.state === 'failed') {
        bar.finish(`failed: ${r.error}`);
        return EXIT.checkFailed;
      }
    }
    await sleep(200);
  }
}
