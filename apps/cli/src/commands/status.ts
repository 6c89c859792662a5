import type { ProjectionStatus } from '@app/read-models';
import { ApiClient, EXIT } from '../api-client';

/** `status`: each projection's version, generation, state, position and lag; a rebuild's progress. */
export async function status(api: ApiClient): Promise<number> {
  const { items } = await api.ok(api.get<{ items: ProjectionStatus[] }>('/admin/projections'));
  for (const p of items) {
    process.stdout.write(`${p.name}\tversion ${p.version}\tgeneration ${p.generation}\t${p.state}\tposition ${p.position}\thead ${p.head}\tlag ${p.lag}\n`);
    if (p.rebuild) {
      const r = p.rebuild;
      process.stdout.write(`  rebuild of generation ${r.generation}: ${r.state}, ${r.eventsDone}/${r.eventsTotal} events, ${r.rate}/s, ETA ${r.etaSeconds ?? '?'} s${r.error ? `, error: ${r.error}` : ''}\n`);
    }
  }
  return items.some((p) => p.state === 'failed') ? EXIT.checkFailed : EXIT.ok;
}
