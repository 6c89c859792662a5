import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { ApiClient, CliError, EXIT } from '../api-client';
import { csvLine, parseCsv } from '../csv';
import { ProgressBar } from '../progress-bar';

const REQUIRED = ['unitId', 'title', 'authors', 'category', 'appliedOn', 'benefitValue'] as const;
const OPTIONAL = ['id', 'submittedAt', 'approvedAt', 'decisionRef', 'recognisedValue'] as const;
type Column = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];
const PARALLEL = 8;

interface Outcome {
  line: number;
  status: 'imported' | 'already-imported' | 'rejected';
  id: string;
  reason: string;
}

interface Problem {
  code?: string;
  detail?: string;
  errors?: { field: string; message: string }[];
}

/**
 * `import <csv> --program P [--report file]`: bulk initiatives from a spreadsheet export, one
 * submission (and approval, when the row has a decision) per row. The service validates every row;
 * a rejected row is reported with its reason and changes nothing. Each row's Idempotency-Key is
 * derived from its content, so running the same file again writes nothing twice.
 */
export async function importCsv(api: ApiClient, file: string, options: { program: string; report?: string }): Promise<number> {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  if (!header) throw new CliError(`${file} is empty`, EXIT.usage);
  const columns = header.map((h) => h.trim());
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  const unknown = columns.filter((c) => !(REQUIRED as readonly string[]).includes(c) && !(OPTIONAL as readonly string[]).includes(c));
  if (missing.length || unknown.length) {
    throw new CliError(
      `${file}: ${missing.length ? `missing column(s) ${missing.join(', ')}` : ''}${missing.length && unknown.length ? '; ' : ''}${unknown.length ? `unknown column(s) ${unknown.join(', ')}` : ''} (expected ${[...REQUIRED, ...OPTIONAL].join(', ')})`,
      EXIT.usage,
    );
  }
  const bar = new ProgressBar(`import ${file}`, rows.length);
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const index = next++;
      outcomes.push(await importRow(api, options.program, index + 2, columns, rows[index]));
      bar.update(outcomes.length);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  outcomes.sort((a, b) => a.line - b.line);
  const count = (s: Outcome['status']) => outcomes.filter((o) => o.status === s).length;
  bar.finish(`${count('imported')} imported, ${count('already-imported')} already imported, ${count('rejected')} rejected`);
  for (const o of outcomes.filter((o) => o.status === 'rejected')) process.stderr.write(`  line ${o.line}: ${o.reason}\n`);
  if (options.report) {
    writeFileSync(options.report, [csvLine(['line', 'status', 'id', 'reason']), ...outcomes.map((o) => csvLine([o.line, o.status, o.id, o.reason]))].join(''));
  }
  return count('rejected') > 0 ? EXIT.checkFailed : EXIT.ok;
}

async function importRow(api: ApiClient, programId: string, line: number, columns: string[], values: string[]): Promise<Outcome> {
  if (values.length !== columns.length) {
    return { line, status: 'rejected', id: '', reason: `has ${values.length} fields, the header ${columns.length}` };
  }
  const cell = (c: Column): string | undefined => {
    const v = values[columns.indexOf(c)]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const key = createHash('sha256').update(JSON.stringify([programId, columns, values])).digest('hex');
  const submission = {
    ...(cell('id') ? { id: cell('id') } : {}),
    programId,
    unitId: cell('unitId'),
    title: cell('title'),
    authors: (cell('authors') ?? '').split(';').map((a) => a.trim()).filter(Boolean),
    category: cell('category'),
    appliedOn: cell('appliedOn'),
    ...(cell('submittedAt') ? { submittedAt: cell('submittedAt') } : {}),
    benefitValue: cell('benefitValue'),
  };
  const submitted = await api.post<{ id: string; replayed?: boolean } & Problem>('/initiatives', submission, { 'Idempotency-Key': `import:${key}` });
  if (submitted.status !== 201) return { line, status: 'rejected', id: cell('id') ?? '', reason: reasonOf(submitted.status, submitted.body) };
  const id = submitted.body.id;
  let replayed = submitted.body.replayed === true;
  if (cell('decisionRef')) {
    const approval = {
      decisionRef: cell('decisionRef'),
      ...(cell('approvedAt') ? { approvedAt: cell('approvedAt') } : {}),
      ...(cell('recognisedValue') ? { benefitValue: cell('recognisedValue') } : {}),
    };
    const approved = await api.post<{ replayed?: boolean } & Problem>(`/initiatives/${encodeURIComponent(id)}/approve`, approval, { 'Idempotency-Key': `import-approve:${key}` });
    if (approved.status !== 200) return { line, status: 'rejected', id, reason: `submitted, but the approval was refused: ${reasonOf(approved.status, approved.body)}` };
    replayed = replayed && approved.body.replayed === true;
  }
  return { line, status: replayed ? 'already-imported' : 'imported', id, reason: '' };
}

function reasonOf(status: number, problem: Problem): string {
  const fields = problem.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
  return `${status} ${problem.code ?? ''}${fields ? ` (${fields})` : problem.detail ? ` (${problem.detail})` : ''}`;
}
