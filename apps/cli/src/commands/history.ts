import type { HistoryEntry } from '@app/read-models';
import { ApiClient, EXIT } from '../api-client';
import { csvLine } from '../csv';
import { ProgressBar } from '../progress-bar';

interface Page {
  items: HistoryEntry[];
  nextCursor: string | null;
}

/** `history <unit> --program P [--phase X] [--subtree] [--from D] [--to D]`: the unit's journal as CSV on stdout. */
export async function history(api: ApiClient, unitId: string, options: { program: string; phase?: string; subtree: boolean; from?: string; to?: string }): Promise<number> {
  const bar = new ProgressBar(`history of ${unitId}`, 1);
  process.stdout.write(csvLine(['position', 'recordedAt', 'effectiveDate', 'type', 'stream', 'eventId', 'actor', 'documentRef', 'change', 'counted', 'quota', 'benefitValue', 'hash']));
  let cursor: string | undefined;
  let count = 0;
  do {
    const page = await api.ok(
      api.get<Page>(`/units/${encodeURIComponent(unitId)}/history`, {
        programId: options.program,
        phaseId: options.phase,
        subtree: options.subtree ? 'true' : undefined,
        from: options.from,
        to: options.to,
        limit: '500',
        cursor,
      }),
    );
    for (const e of page.items) {
      process.stdout.write(
        csvLine([e.position, e.recordedAt, e.effectiveDate, e.type, e.stream, e.eventId, e.actor, e.documentRef, JSON.stringify(e.change), e.totals.counted, e.totals.quota, e.totals.benefitValue, e.hash ?? '']),
      );
    }
    count += page.items.length;
    cursor = page.nextCursor ?? undefined;
    bar.update(count, cursor ? count + 1 : count);
  } while (cursor);
  bar.finish(`${count} entries`);
  return EXIT.ok;
}
