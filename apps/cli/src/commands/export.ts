import { createWriteStream } from 'node:fs';
import type { ProgressRow } from '@app/read-models';
import { ApiClient, EXIT } from '../api-client';
import { csvLine } from '../csv';
import { ProgressBar } from '../progress-bar';

const COLUMNS: (keyof ProgressRow)[] = [
  'programId',
  'unitId',
  'unitName',
  'kind',
  'parentId',
  'phaseId',
  'quota',
  'submitted',
  'approved',
  'pending',
  'rejected',
  'withdrawn',
  'counted',
  'attainmentPercent',
  'excess',
  'benefitValue',
  'reachedQuotaOn',
];

/** `export --program P [--phase X] [--out file]`: progress rows as CSV (to stdout unless --out). */
export async function exportProgress(api: ApiClient, options: { program: string; phase?: string; out?: string }): Promise<number> {
  const out = options.out ? createWriteStream(options.out) : process.stdout;
  out.write(csvLine([...COLUMNS, 'ownSubmitted', 'ownApproved', 'ownCounted', 'ownBenefitValue']));
  const bar = new ProgressBar('export', 1);
  let cursor: string | undefined;
  let count = 0;
  do {
    const page = await api.ok(
      api.get<{ items: ProgressRow[]; nextCursor: string | null }>(`/programs/${encodeURIComponent(options.program)}/progress`, {
        phaseId: options.phase,
        sort: 'unitId',
        limit: '500',
        cursor,
      }),
    );
    for (const row of page.items) out.write(csvLine([...COLUMNS.map((c) => row[c] as unknown), row.own.submitted, row.own.approved, row.own.counted, row.own.benefitValue]));
    count += page.items.length;
    cursor = page.nextCursor ?? undefined;
    bar.update(count, cursor ? count + 1 : count);
  } while (cursor);
  if (out !== process.stdout) await new Promise<void>((resolve) => (out as NodeJS.WritableStream).end(() => resolve()));
  bar.finish(`${count} rows${options.out ? ` written to ${options.out}` : ''}`);
  return EXIT.ok;
}
