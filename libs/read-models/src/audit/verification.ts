import { isDomainEventType, ProgramRules, streams } from '@app/domain';
import { EventStore, StoredEvent } from '@app/event-store';
import { ProgressRow } from '../progress/progress-row';
import { nodeBefore } from '../projection/initiative-node';
import { ReadModelProjections } from '../projection/read-model-projections';
import { INITIATIVES_IN_MEMORY } from '../projection/read-model-projections';
import { InitiativeQueries } from '../initiatives/initiative-queries.port';
import { ProgramQueries } from '../programs/program-queries.port';
import { ProgressQueries } from '../progress/progress-queries.port';
import { ReadModelCheckpoint } from '../store/checkpoint.port';
import { StoredDocumentsReader } from '../store/stored-documents.port';
import { UnitQueries } from '../units/unit-queries.port';
import { HistoryQueries } from './history-queries.port';
import { JournalChanges } from './history-journal';
import { replayLog } from './replay';
import { HistoryEntry } from './unit-history';
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

/** What verifying one unit reads of the read models. */
export type UnitVerificationReads = ReadModelCheckpoint & ProgramQueries & ProgressQueries & UnitQueries & HistoryQueries;
/** What the whole-system check reads of the read models. */
export type SystemVerificationReads = ReadModelCheckpoint & StoredDocumentsReader & ProgramQueries & Pick<InitiativeQueries, 'initiativesById'>;

/** The rules each programme's stored figures say they were computed under: the replay must use the same. */
export async function storedRules(store: ProgramQueries, programIds: Iterable<string>): Promise<Map<string, ProgramRules>> {
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
 * field, and its history journal entry by entry (every phase, subtree and own). The projector may
 * write meanwhile: a comparison during which the checkpoint moved is retried.
 */
export async function verifyUnit(store: UnitVerificationReads, events: EventStore, programId: string, unitId: string): Promise<VerificationResult> {
  for (let attempt = 1; ; attempt++) {
    const position = await store.checkpoint();
    const stored = await store.unitProgress(programId, unitId);
    const projection = await replayLog(events, { upTo: position, rules: await storedRules(store, [programId]), streams: await unitStreams(store, programId, unitId), journal: { unitId } });
    const replayed = projection.progress.rows(programId, unitId);
    const differences = compareByKey(stored, replayed, (r) => `progress ${r.programId}/${r.unitId}/${r.phaseId}`);
    const journal = await compareJournal(store, projection.takeJournal()!, programId, unitId, replayed.map((r) => r.phaseId), position);
    differences.push(...journal.differences);
    if (differences.length === 0 || attempt === MAX_ATTEMPTS || (await store.checkpoint()) === position) {
      return { consistent: differences.length === 0, position: position.toString(), checked: replayed.length + journal.checked, differences };
    }
  }
}

/** The unit's stored history, every phase and scope, against the journal a replay kept. */
async function compareJournal(
  store: HistoryQueries,
  replayed: JournalChanges,
  programId: string,
  unitId: string,
  phaseIds: readonly string[],
  upTo: bigint,
): Promise<{ checked: number; differences: Difference[] }> {
  const keyOf = (phaseId: string, scope: string, entry: HistoryEntry) => `history ${programId}/${unitId}/${phaseId}/${scope} at ${entry.position}`;
  const eventAt = new Map(replayed.events.map((event) => [event.position, event]));
  const expected: HistoryEntry[] = [];
  const keys = new Map<HistoryEntry, string>();
  for (const line of replayed.lines) {
    if (line.programId !== programId) continue;
    for (const [scope, part] of [['subtree', line.subtree], ['own', line.own]] as const) {
      if (!part) continue;
      const entry = { ...eventAt.get(line.position.toString())!, ...part };
      keys.set(entry, keyOf(line.phaseId, scope, entry));
      expected.push(entry);
    }
  }
  const found: HistoryEntry[] = [];
  for (const phaseId of phaseIds) {
    for (const subtree of [true, false]) {
      for (let after: bigint | undefined; ; ) {
        const page = (await store.history({ programId, unitId, phaseId, subtree, after, limit: PAGE })).filter((entry) => BigInt(entry.position) <= upTo);
        for (const entry of page) keys.set(entry, keyOf(phaseId, subtree ? 'subtree' : 'own', entry));
        found.push(...page);
        if (page.length < PAGE) break;
        after = BigInt(page[page.length - 1].position);
      }
    }
  }
  return { checked: found.length, differences: compareByKey(found, expected, (entry) => keys.get(entry)!) };
}

/** Stored documents compared per page: memory holds a page, never a whole read model. */
const PAGE = 1000;

/**
 * The whole-system check: every document of every read model against a replay of the whole log,
 * in the memory the projector itself needs. The replay keeps the figures and, like the projector,
 * at most a bounded number of initiative nodes: each one let go is compared with its stored
 * document then, and set aside when its stream has later events (it comes back before them and is
 * compared again); an initiative whose unit moves after it was let go is folded again from its
 * stream, so that its new paths are compared too. Documents are rendered over the stored ones'
 * descriptive fields (titles, authors and the like, which no figure depends on, are not what this
 * check proves). Stored documents are read a page at a time; counts catch documents the read model
 * lacks.
 */
export async function verifyAll(
  store: SystemVerificationReads,
  events: EventStore,
  options: { onProgress?: (eventsRead: number) => void; maxDifferences?: number; initiativesInMemory?: number; pageSize?: number } = {},
): Promise<VerificationResult> {
  const max = options.maxDifferences ?? 1000;
  for (let attempt = 1; ; attempt++) {
    const position = await store.checkpoint();
    const programIds: string[] = [];
    for await (const program of store.documents('programs')) programIds.push(program.programId);
    const initiatives = new InitiativeComparison(store, events, position);
    const projection = await replayLog(events, {
      upTo: position,
      rules: await storedRules(store, programIds),
      onProgress: options.onProgress,
      pageSize: options.pageSize,
      initiativesInMemory: options.initiativesInMemory ?? INITIATIVES_IN_MEMORY,
      onPage: (p) => initiatives.afterPage(p),
    });
    await initiatives.compare(projection, projection.initiativesBeyond(0), true);
    const differences: Difference[] = [];
    const note = (found: Difference[]) => differences.push(...found.slice(0, Math.max(0, max - differences.length)));
    const stored = { programs: 0, units: 0, initiatives: 0, progress: 0 };
    for await (const doc of store.documents('programs')) {
      stored.programs += 1;
      note(compareOne(`program ${doc.programId}`, doc, projection.programs.document(doc.programId)));
    }
    for await (const doc of store.documents('units')) {
      stored.units += 1;
      note(compareOne(`unit ${doc.unitId}`, doc, projection.units.document(doc.unitId)));
      if (stored.units % PAGE === 0) await yieldToOthers();
    }
    let rowsOfUnit: { key: string; rows: Map<string, ProgressRow> } | undefined;
    for await (const row of store.documents('progress')) {
      stored.progress += 1;
      const key = `${row.programId}/${row.unitId}`;
      if (rowsOfUnit?.key !== key) rowsOfUnit = { key, rows: new Map(projection.progress.rows(row.programId, row.unitId).map((r) => [r.phaseId, r])) };
      note(compareOne(`progress ${key}/${row.phaseId}`, row, rowsOfUnit.rows.get(row.phaseId)));
      if (stored.progress % PAGE === 0) await yieldToOthers();
    }
    for await (const doc of store.initiativeKeys()) {
      stored.initiatives += 1;
      const found = initiatives.found.get(doc.initiativeId);
      if (found) note(found);
      // Once the differences are full, whether more documents are unknown to the log changes nothing.
      else if (differences.length < max && !projection.knowsInitiative(doc.initiativeId, doc.unitId)) note(compareOne(`initiative ${doc.initiativeId}`, doc, undefined));
      if (stored.initiatives % PAGE === 0) await yieldToOthers();
    }
    const replayed = projection.documentCounts();
    for (const kind of ['programs', 'units', 'initiatives', 'progress'] as const) {
      if (replayed[kind] > stored[kind]) note([{ document: `${kind} (${replayed[kind] - stored[kind]} of ${replayed[kind]})`, field: '(document)', readModel: 'absent', replay: 'present' }]);
    }
    const checked = Object.values(stored).reduce((a, b) => a + b, 0);
    if (differences.length === 0 || attempt === MAX_ATTEMPTS || (await store.checkpoint()) === position) {
      return { consistent: differences.length === 0, position: position.toString(), checked, differences };
    }
  }
}

/** The initiatives' side of the whole-system check, as the replay lets their nodes go (see verifyAll). */
class InitiativeComparison {
  /** The differences of each initiative compared for good, by id. */
  readonly found = new Map<string, Difference[]>();

  constructor(
    private readonly store: Pick<InitiativeQueries, 'initiativesById'>,
    private readonly events: EventStore,
    private readonly upTo: bigint,
  ) {}

  async afterPage(projection: ReadModelProjections): Promise<void> {
    const moved = projection.initiatives.changedWithoutNode();
    projection.forgetDescriptions();
    for (const id of moved) {
      // None of its events came in this page (it would have been given back): folding up to here is folding up to the move.
      const node = nodeBefore(await this.eventsOf(id, (position) => position <= projection.position), BigInt(Number.MAX_SAFE_INTEGER));
      if (node) projection.load(node);
    }
    await this.compare(projection, projection.initiativesBeyond(), false);
  }

  /** Compares the initiatives named and lets their nodes go; `final`: the replay has reached the checkpoint. */
  async compare(projection: ReadModelProjections, ids: readonly string[], final: boolean): Promise<void> {
    for (let i = 0; i < ids.length; i += PAGE) {
      const page = ids.slice(i, i + PAGE);
      const stored = new Map((await this.store.initiativesById(page)).map((doc) => [doc.initiativeId, doc]));
      for (const id of page) {
        const doc = stored.get(id);
        // A document the read model lacks is counted, not compared.
        const differences = doc ? compareOne(`initiative ${id}`, doc, projection.initiatives.document(id, doc)) : [];
        projection.initiatives.letGo(id);
        // With events still to come the stored document is rightly ahead, and the initiative is compared again after them: what it
        // differs by now is not held meanwhile (a log that decides long after submissions would otherwise hold a difference each).
        const settled = differences.length === 0 || final || (await this.eventsOf(id, (position) => position > projection.position && position <= this.upTo)).length === 0;
        if (settled && differences.length > 0) this.found.set(id, differences);
        else this.found.delete(id);
      }
    }
  }

  /** The initiative's events at the positions asked for (stream reads must carry positions: EventStoreDB 22.6 or later). */
  private async eventsOf(initiativeId: string, at: (position: bigint) => boolean): Promise<StoredEvent[]> {
    const stream = await this.events.readStream(streams.initiative(initiativeId));
    if (stream.some((event) => event.position < 0n)) throw new Error('The whole-system verification needs log positions on stream reads (EventStoreDB 22.6 or later)');
    return stream.filter((event) => isDomainEventType(event.type) && at(event.position));
  }
}

function compareOne(document: string, stored: unknown, replayed: unknown): Difference[] {
  if (replayed === undefined) return [{ document, field: '(document)', readModel: 'present', replay: 'absent' }];
  const out: Difference[] = [];
  diff(stored, replayed, '', document, out);
  return out;
}

function yieldToOthers(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
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
  // Most fields of a consistent read model are equal strings and numbers: no need to write them out to see it.
  if (a === b) return;
  if (isObject(a) && isObject(b)) {
    // Every field of either side once, a field's path written only where its values are not the same value: a million documents have tens of millions of fields.
    for (const field of Object.keys(a)) if (a[field] !== b[field]) diff(a[field], b[field], path ? `${path}.${field}` : field, document, out);
    for (const field of Object.keys(b)) if (!Object.hasOwn(a, field) && b[field] !== undefined) diff(undefined, b[field], path ? `${path}.${field}` : field, document, out);
    return;
  }
  if (!sameList(a, b) && JSON.stringify(a) !== JSON.stringify(b)) out.push({ document, field: path || '(value)', readModel: a ?? null, replay: b ?? null });
}

/** Two lists of the same strings or numbers (a unit's path, a document's authors' ids), seen without writing them out. */
function sameList(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] || typeof a[i] === 'object') return false;
  return true;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
