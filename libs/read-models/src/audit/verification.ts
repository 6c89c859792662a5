import { ProgramRules } from '@app/domain';
import { EventStore } from '@app/event-store';
import { ProgressRow } from '../progress/progress-row';
import { ReadModelStore, StoredDocumentKind } from '../store/read-model-store.port';
import { replayLog } from './replay';
import { unitStreams } from './unit-streams';

export interface Difference {
  /** Which document: e.g. "progress bk-2022/na-ri/p1", "initiative sk-1". */
  document: string;
  /** Dotted path of the field, or "(document)" when one side lacks the document. */
  field: string;
  readModel: unknown;
  replay: unknown;
}

export interface VerificationResult {
  consistent: boolean;
  /** The log position both sides were compared at. */
  position: string;
  checked: number;
  differences: Difference[];
}

const MAX_ATTEMPTS = 3;

/** The rules each programme's stored figures say they were computed under: the replay must use the same. */
export async function storedRules(store: ReadModelStore, programIds: Iterable<string>): Promise<Map<string, ProgramRules>> {
  const rules = new Map<string, ProgramRules>();
  for (const programId of programIds) {
    const program = await store.program(programId);
    if (program) {
      const { name, phases, eligibility, targetPercent, countingRule, rulesVersion } = program;
      rules.set(programId, { programId, name, phases, eligibility, targetPercent, countingRule, rulesVersion } as ProgramRules);
    }
  }
  return rules;
}

/**
 * Replays the log up to the read model's checkpoint and compares one unit's progress rows field by
 * field. The projector may write meanwhile: a comparison during which the checkpoint moved is retried.
 */
export async function verifyUnit(store: ReadModelStore, events: EventStore, programId: string, unitId: string): Promise<VerificationResult> {
  for (let attempt = 1; ; attempt++) {
    const position = await store.checkpoint();
    const stored = await store.unitProgress(programId, unitId);
    const projection = await replayLog(events, { upTo: position, rules: await storedRules(store, [programId]), streams: await unitStreams(store, programId, unitId) });
    const replayed = projection.rows(programId, unitId);
    const differences = compareByKey(stored, replayed, (r) => `progress ${r.programId}/${r.unitId}/${r.phaseId}`);
    if (differences.length === 0 || attempt === MAX_ATTEMPTS || (await store.checkpoint()) === position) {
      return { consistent: differences.length === 0, position: position.toString(), checked: replayed.length, differences };
    }
  }
}

const KINDS: StoredDocumentKind[] = ['programs', 'units', 'initiatives', 'progress'];

/** The whole-system check: every document of every read model against a replay of the whole log. */
export async function verifyAll(
  store: ReadModelStore,
  events: EventStore,
  options: { onProgress?: (eventsRead: number) => void; maxDifferences?: number } = {},
): Promise<VerificationResult> {
  for (let attempt = 1; ; attempt++) {
    const position = await store.checkpoint();
    const stored = new Map<StoredDocumentKind, unknown[]>();
    for (const kind of KINDS) stored.set(kind, await collect(store.documents(kind)));
    const programIds = (stored.get('programs') as { programId: string }[]).map((p) => p.programId);
    const projection = await replayLog(events, { upTo: position, rules: await storedRules(store, programIds), onProgress: options.onProgress });
    projection.markEverythingDirty();
    const replayed = projection.flush();
    const differences = [
      ...compareByKey(stored.get('programs') as { programId: string }[], replayed.programs, (p) => `program ${p.programId}`),
      ...compareByKey(stored.get('units') as { unitId: string }[], replayed.units, (u) => `unit ${u.unitId}`),
      ...compareByKey(stored.get('initiatives') as { initiativeId: string }[], replayed.initiatives, (d) => `initiative ${d.initiativeId}`),
      ...compareByKey(stored.get('progress') as ProgressRow[], replayed.progress, (r) => `progress ${r.programId}/${r.unitId}/${r.phaseId}`),
    ];
    const checked = replayed.programs.length + replayed.units.length + replayed.initiatives.length + replayed.progress.length;
    if (differences.length === 0 || attempt === MAX_ATTEMPTS || (await store.checkpoint()) === position) {
      return { consistent: differences.length === 0, position: position.toString(), checked, differences: differences.slice(0, options.maxDifferences ?? 1000) };
    }
  }
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

function compareByKey<T>(stored: readonly T[], replayed: readonly T[], keyOf: (doc: T) => string): Difference[] {
  const differences: Difference[] = [];
  const replayedByKey = new Map(replayed.map((doc) => [keyOf(doc), doc]));
  const seen = new Set<string>();
  for (const doc of stored) {
    const key = keyOf(doc);
    seen.add(key);
    const other = replayedByKey.get(key);
    if (other === undefined) differences.push({ document: key, field: '(document)', readModel: 'present', replay: 'absent' });
    else diff(doc, other, '', key, differences);
  }
  for (const [key] of replayedByKey) {
    if (!seen.has(key)) differences.push({ document: key, field: '(document)', readModel: 'absent', replay: 'present' });
  }
  return differences;
}

function diff(a: unknown, b: unknown, path: string, document: string, out: Difference[]): void {
  if (isObject(a) && isObject(b)) {
    for (const field of new Set([...Object.keys(a), ...Object.keys(b)])) diff(a[field], b[field], path ? `${path}.${field}` : field, document, out);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ document, field: path || '(value)', readModel: a ?? null, replay: b ?? null });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
