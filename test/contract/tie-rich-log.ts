import { ReadModelProjections, PROGRESS_SORTS } from '@app/read-models';
import { ProgrammeLog } from '../../libs/read-models/test/programme-log';

export const ALL_PROGRESS_SORTS = [...PROGRESS_SORTS, 'reachedQuotaOn'] as const;

/**
 * A programme with ties everywhere (equal counts, equal submission instants), quotas of 0 (no
 * attainment), units that finished early and units that did not, several kinds and levels.
 */
export function tieRichLog(): ProgrammeLog {
  const log = new ProgrammeLog('bk').launchBacKan().unit('prov', 'province', null, 900);
  for (const d of ['d1', 'd2', 'd3']) log.unit(d, 'district', 'prov', 30);
  log.unit('gd', 'sector', 'prov', 60);
  const parents = ['d1', 'd2', 'd3', 'gd'];
  for (let i = 1; i <= 18; i++) log.unit(`g${String(i).padStart(2, '0')}`, 'grassroots', parents[i % 4], i % 5 === 0 ? 0 : 20 + (i % 3) * 20);
  log.quota('g03', 'p1', 0).quota('d2', 'p1', 0).quota('g07', null, 0).quota('d1', 'p2', 3);
  const at = ['2022-03-01T02:00:00Z', '2022-03-01T02:00:00Z', '2022-04-10T09:30:00Z', '2022-07-01T01:00:00Z', '2023-02-01T03:00:00Z'];
  for (let i = 1; i <= 60; i++) {
    const id = `i${String(i).padStart(2, '0')}`;
    const unit = i % 7 === 0 ? parents[i % 4] : `g${String((i % 18) + 1).padStart(2, '0')}`;
    log.submit(id, unit, at[i % at.length], String(i * 1_000_000), { title: i % 2 ? `Sáng kiến số hóa ${i}` : `Cải tiến quy trình ${i}` });
    if (i % 3 !== 0) log.approve(id, unit, at[i % at.length].replace('T02', 'T05').replace('T09', 'T10'), String(i * 900_000));
    else if (i % 9 === 0) log.reject(id, unit);
  }
  return log;
}

export function projected(log: ProgrammeLog) {
  const events = log.positioned();
  const projection = new ReadModelProjections(new Map(), { journal: true });
  for (const e of events) projection.apply(e);
  return { changes: projection.flush(), head: events[events.length - 1].position };
}

/** Every page of a query, with the cursors handed out. */
export async function walk<T>(fetch: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>): Promise<{ items: T[]; cursors: (string | null)[] }> {
  const items: T[] = [];
  const cursors: (string | null)[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 200; pages++) {
    const page = await fetch(cursor);
    items.push(...page.items);
    cursors.push(page.nextCursor);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return { items, cursors };
}
