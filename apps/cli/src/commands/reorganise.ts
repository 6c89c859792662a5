import { readFileSync } from 'node:fs';
import { ApiClient, CliError, EXIT, sleep } from '../api-client';
import { csvLine } from '../csv';
import { ProgressBar } from '../progress-bar';

interface Figures {
  programId: string;
  phaseId: string;
  quota: number;
  counted: number;
  benefitValue: string;
}
interface Side {
  parentId: string | null;
  status: string;
  members: number;
  figures: Figures[];
}
interface Reorganisation {
  id: string;
  documentRef: string;
  state: 'preview' | 'running' | 'done' | 'interrupted';
  stepsTotal: number;
  stepsDone: number;
  etaSeconds: number | null;
  error: string | null;
  alreadyDecided: boolean;
  preview: {
    position: string;
    changes: { unitId: string; fromParentId: string | null; toParentId: string | null; statusBefore: string; statusAfter: string }[];
    units: { unitId: string; name: string; kind: string; before: Side | null; after: Side }[];
  } | null;
}
interface PlanProblem {
  step: number;
  unitId: string;
  code: string;
  message: string;
}

/**
 * `reorganise plan.csv --document REF --effective-on DATE [--dry-run]`: sends the plan as one
 * decision. A refused plan prints every problem by its step (the CSV's data line) and exits 1. A dry
 * run prints, as CSV on stdout, each unit whose place changes and each province and sector before
 * and after; a real run follows the process to its end with a progress bar and its ETA.
 */
export async function reorganise(api: ApiClient, file: string, options: { document: string; effectiveOn: string; dryRun?: boolean }): Promise<number> {
  let csv: string;
  try {
    csv = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`, EXIT.usage);
  }
  const { status, body } = await api.post<Reorganisation | { code: string; detail: string; details?: { problems?: PlanProblem[]; problemCount?: number } }>(
    `/admin/reorganisations${options.dryRun ? '?dryRun=true' : ''}`,
    { documentRef: options.document, effectiveOn: options.effectiveOn, csv },
  );
  if (status === 422 && 'code' in body && body.code === 'REORGANISATION_PLAN_INVALID') {
    const problems = body.details?.problems ?? [];
    process.stderr.write(`refused, nothing was written: ${body.details?.problemCount ?? problems.length} problem(s)\n`);
    for (const p of problems) process.stderr.write(`  step ${p.step} (${p.unitId || '-'}): ${p.code} ${p.message}\n`);
    return EXIT.checkFailed;
  }
  const decided = await api.ok(Promise.resolve({ status, body: body as Reorganisation }));
  if (decided.state === 'preview') {
    printPreview(decided);
    return EXIT.ok;
  }
  if (decided.alreadyDecided && decided.state === 'done') {
    process.stderr.write(`reorganisation ${decided.id} (${decided.documentRef}) was decided and carried out before: nothing written\n`);
    return EXIT.ok;
  }
  const bar = new ProgressBar(`reorganise ${decided.documentRef}`, decided.stepsTotal);
  let state = decided;
  for (;;) {
    bar.update(state.stepsDone, state.stepsTotal, state.etaSeconds !== null ? `ETA ${state.etaSeconds} s` : '');
    if (state.state === 'done') {
      bar.finish(`${state.stepsTotal} steps carried out (reorganisation ${state.id})`);
      return EXIT.ok;
    }
    if (state.state === 'interrupted') {
      bar.finish(`interrupted at step ${state.stepsDone + 1}: ${state.error ?? 'the service stopped'}; it resumes when the service restarts or the same command is run again`);
      return EXIT.checkFailed;
    }
    await sleep(200);
    state = await api.ok(api.get<Reorganisation>(`/admin/reorganisations/${state.id}`));
  }
}

function printPreview(decided: Reorganisation): void {
  const preview = decided.preview!;
  process.stderr.write(`dry run of ${decided.documentRef}: ${decided.stepsTotal} steps, valid; nothing was written (log position ${preview.position})\n`);
  process.stdout.write(csvLine(['unit', 'from', 'to', 'status before', 'status after']));
  for (const c of preview.changes) process.stdout.write(csvLine([c.unitId, c.fromParentId, c.toParentId, c.statusBefore, c.statusAfter]));
  process.stdout.write('\n');
  process.stdout.write(csvLine(['unit', 'kind', 'programme', 'members before', 'members after', 'quota before', 'quota after', 'counted before', 'counted after', 'benefit before', 'benefit after']));
  for (const unit of preview.units) {
    const whole = (side: Side | null) => new Map((side?.figures ?? []).filter((f) => f.phaseId === 'all').map((f) => [f.programId, f]));
    const before = whole(unit.before);
    const after = whole(unit.after);
    for (const programId of new Set([...before.keys(), ...after.keys()])) {
      const b = before.get(programId);
      const a = after.get(programId);
      process.stdout.write(csvLine([unit.unitId, unit.kind, programId, unit.before?.members, unit.after.members, b?.quota, a?.quota, b?.counted, a?.counted, b?.benefitValue, a?.benefitValue]));
    }
  }
}
