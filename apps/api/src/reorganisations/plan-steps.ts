import { isId, PLAN_ACTIONS, PlanAction, PlanProblem, PlanStep, UNIT_KINDS, UnitKind } from '@app/domain';
import { parse } from 'csv-parse';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** A step as written, JSON or a CSV line: every field optional and unchecked until its action says what it needs. */
export interface RawStep {
  action?: string;
  unitId?: string;
  to?: string;
  name?: string;
  kind?: string;
  members?: number | string;
}

export const CSV_HEADER = ['action', 'unit', 'to', 'name', 'kind', 'members'] as const;

const MAX_MEMBERS = 20_000_000;

/** The plan's steps, or every problem found in how they are written (numbered like the steps: 1 is the first). */
export function planStepsOf(raw: readonly RawStep[]): { steps: PlanStep[]; problems: PlanProblem[] } {
  const steps: PlanStep[] = [];
  const problems: PlanProblem[] = [];
  raw.forEach((r, index) => {
    const step = index + 1;
    const unitId = r.unitId ?? '';
    const wrong = (message: string) => problems.push({ step, unitId, code: 'PLAN_STEP_MALFORMED', message: `Step ${step}: ${message}` });
    if (!(PLAN_ACTIONS as readonly string[]).includes(r.action ?? '')) return wrong(`action must be one of ${PLAN_ACTIONS.join(', ')}`);
    if (!isId(unitId)) return wrong('the unit must be an id of 1–64 ASCII letters, digits, ".", "_" or "-"');
    const to = r.to === '' ? undefined : r.to;
    if (to !== undefined && !isId(to)) return wrong('"to" must be a unit id');
    switch (r.action as PlanAction) {
      case 'register': {
        const members = typeof r.members === 'string' && /^\d+$/.test(r.members) ? Number(r.members) : r.members;
        if (!r.name?.trim()) return wrong('a new unit needs a name');
        if (!(UNIT_KINDS as readonly string[]).includes(r.kind ?? '')) return wrong(`a new unit needs a kind: ${UNIT_KINDS.join(', ')}`);
        if (typeof members !== 'number' || !Number.isInteger(members) || members < 0 || members > MAX_MEMBERS) return wrong('a new unit needs its members, a whole number');
        return void steps.push({ action: 'register', unitId, name: r.name.trim(), kind: r.kind as UnitKind, parentId: to ?? null, memberCount: members });
      }
      case 'move':
        if (!to) return wrong('a move needs "to", the new parent');
        return void steps.push({ action: 'move', unitId, toParentId: to });
      case 'merge':
        if (!to) return wrong('a merge needs "to", the unit merged into');
        return void steps.push({ action: 'merge', unitId, intoUnitId: to });
      case 'wind-up':
        return void steps.push({ action: 'wind-up', unitId });
    }
  });
  return { steps, problems };
}

/**
 * A plan's CSV as a provincial office exports it from a spreadsheet: a header line naming the
 * columns (any order; `unit` may be `unitId`), then one line per step. Steps are numbered from 1,
 * the first line after the header.
 */
export async function rawStepsOfCsv(text: string): Promise<{ raw: RawStep[]; problems: PlanProblem[] }> {
  let rows: string[][];
  try {
    rows = await csvRows(text);
  } catch (error) {
    return { raw: [], problems: [{ step: 0, unitId: '', code: 'PLAN_CSV_MALFORMED', message: `The CSV cannot be read: ${(error as Error).message}` }] };
  }
  const [header = [], ...lines] = rows;
  const columns = header.map((name) => (name.toLowerCase() === 'unitid' ? 'unit' : name.toLowerCase()));
  const missing = ['action', 'unit'].filter((name) => !columns.includes(name));
  const unknown = columns.filter((name) => !(CSV_HEADER as readonly string[]).includes(name));
  if (missing.length || unknown.length || lines.length === 0) {
    const why = [missing.length ? `missing column(s) ${missing.join(', ')}` : '', unknown.length ? `unknown column(s) ${unknown.join(', ')}` : '', lines.length === 0 ? 'no steps' : '']
      .filter(Boolean)
      .join('; ');
    return { raw: [], problems: [{ step: 0, unitId: '', code: 'PLAN_CSV_MALFORMED', message: `The CSV's header must be ${CSV_HEADER.join(',')}: ${why}` }] };
  }
  const raw = lines.map((line) => {
    const field = (name: string) => {
      const value = line[columns.indexOf(name)];
      return value === undefined || value === '' ? undefined : value;
    };
    return { action: field('action'), unitId: field('unit'), to: field('to'), name: field('name'), kind: field('kind'), members: field('members') };
  });
  return { raw, problems: [] };
}

/** Characters parsed between two turns of the event loop: a national plan's CSV read at once would hold every other request for seconds. */
const CSV_CHARACTERS_PER_TURN = 16 * 1024;

/** The CSV's rows, parsed a part at a time; each part ends at a line's end, so that no character is cut in two. */
async function csvRows(text: string): Promise<string[][]> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true });
  const rows: string[][] = [];
  let failed: Error | undefined;
  parser.on('readable', () => {
    for (let row: string[] | null; (row = parser.read() as string[] | null) !== null; ) rows.push(row);
  });
  parser.on('error', (error) => (failed = error));
  const ended = new Promise<void>((resolve) => parser.on('close', resolve).on('end', resolve));
  for (let from = 0; from < text.length && !failed; ) {
    const newline = text.lastIndexOf('\n', from + CSV_CHARACTERS_PER_TURN);
    const to = from + CSV_CHARACTERS_PER_TURN >= text.length || newline < from ? text.length : newline + 1;
    parser.write(text.slice(from, to));
    from = to;
    await nextTurn();
  }
  if (!failed) parser.end();
  await ended;
  if (failed) throw failed;
  return rows;
}
