import { HistoryQuery, JournalEvent, JournalLine, withinDates } from '../../audit/history-journal';
import { HistoryEntry } from '../../audit/unit-history';
import { foldDiacritics } from '../../initiatives/fold-diacritics';
import { InitiativeDoc } from '../../initiatives/initiative-doc';
import { ProgressRow } from '../../progress/progress-row';
import { ProgramDoc } from '../../programs/program-doc';
import { ProjectionChanges } from '../../projection/read-model-projections';
import { SavedProjectionState } from '../../projection/projection-state';
import { UnitDoc } from '../../units/unit-doc';
import { CursorKey, decodeCursor, encodeCursor } from '../cursor';
import { InitiativeQuery } from '../../initiatives/initiative-queries.port';
import { ProgressQuery } from '../../progress/progress-queries.port';
import { Page } from '../page';
import { ReadModelStore } from '../read-model-store.port';
import { StoredDocumentKind, StoredDocuments, StoredInitiativeKey } from '../stored-documents.port';
import { initiativeSortValue, isDescending, progressSortValue } from '../sort-keys';

const rowKey = (programId: string, unitId: string, phaseId: string) => `${programId}\u0000${unitId}\u0000${phaseId}`;

/**
 * The read models in memory, for the embedded mode and fast tests: filled by the projector from the
 * event log at every start. Queries scan; that is fine for one province, not for the nation.
 */
export class MemoryReadModelStore implements ReadModelStore {
  private position = 0n;
  private readonly rows = new Map<string, ProgressRow>();
  private readonly units = new Map<string, UnitDoc>();
  private readonly initiativeDocs = new Map<string, InitiativeDoc>();
  private readonly programs = new Map<string, ProgramDoc>();
  private readonly journal = new Map<string, Map<bigint, JournalLine>>();
  private readonly journalEvents = new Map<bigint, JournalEvent>();
  private state: SavedProjectionState | null = null;
  private bulk: bigint | null = null;

  async checkpoint(): Promise<bigint> {
    return this.position;
  }

  /** Takes the documents as they are: the projection makes them afresh for each flush and never touches them again. */
  async write(changes: ProjectionChanges, position: bigint, state?: SavedProjectionState): Promise<void> {
    for (const row of changes.progress) this.rows.set(rowKey(row.programId, row.unitId, row.phaseId), row);
    for (const unit of changes.units) this.units.set(unit.unitId, unit);
    for (const doc of changes.initiatives) this.initiativeDocs.set(doc.initiativeId, doc);
    for (const program of changes.programs) this.programs.set(program.programId, program);
    for (const line of changes.journal?.lines ?? []) {
      const k = rowKey(line.programId, line.unitId, line.phaseId);
      let lines = this.journal.get(k);
      if (!lines) this.journal.set(k, (lines = new Map()));
      lines.set(line.position, line);
    }
    for (const event of changes.journal?.events ?? []) this.journalEvents.set(BigInt(event.position), event);
    if (this.bulk !== null) this.bulk = position > this.bulk ? position : this.bulk;
    else if (position > this.position) this.position = position;
    if (state) this.state = state;
  }

  async savedState(): Promise<SavedProjectionState | null> {
    return this.state;
  }

  async bulkLoading(): Promise<bigint | null> {
    return this.bulk;
  }

  async beginBulkLoad(): Promise<void> {
    this.bulk = this.position;
  }

  async endBulkLoad(): Promise<void> {
    if (this.bulk !== null && this.bulk > this.position) this.position = this.bulk;
    this.bulk = null;
  }

  async program(programId: string): Promise<ProgramDoc | null> {
    return clone(this.programs.get(programId));
  }

  async progress(query: ProgressQuery): Promise<Page<ProgressRow>> {
    const rows = [...this.rows.values()].filter(
      (r) =>
        r.programId === query.programId &&
        r.phaseId === query.phaseId &&
        (query.parentId === undefined || r.parentId === query.parentId) &&
        (query.kind === undefined || r.kind === query.kind) &&
        (query.finishedEarly === undefined || r.finishedEarly === query.finishedEarly),
    );
    const descending = isDescending(query.sort);
    return page(
      rows,
      (r) => [progressSortValue(r, query.sort), r.unitId],
      (a, b) => compareKeys(a, b, descending, false),
      query.limit,
      query.cursor,
    );
  }

  async unitProgress(programId: string, unitId: string): Promise<ProgressRow[]> {
    return [...this.rows.values()]
      .filter((r) => r.programId === programId && r.unitId === unitId)
      .sort((a, b) => (a.phaseId < b.phaseId ? -1 : a.phaseId > b.phaseId ? 1 : 0))
      .map((r) => copy(r));
  }

  async unit(unitId: string): Promise<UnitDoc | null> {
    return clone(this.units.get(unitId));
  }

  async children(unitId: string, limit: number, cursor?: string): Promise<Page<UnitDoc>> {
    const children = [...this.units.values()].filter((u) => u.parentId === unitId);
    return page(children, (u) => ['', u.unitId], (a, b) => compareKeys(a, b, false, false), limit, cursor);
  }

  async initiative(initiativeId: string): Promise<InitiativeDoc | null> {
    return clone(this.initiativeDocs.get(initiativeId));
  }

  async initiativesById(initiativeIds: readonly string[]): Promise<InitiativeDoc[]> {
    return initiativeIds.flatMap((id) => clone(this.initiativeDocs.get(id)) ?? []);
  }

  async initiatives(query: InitiativeQuery): Promise<Page<InitiativeDoc>> {
    const words = query.q ? foldDiacritics(query.q).split(' ').filter(Boolean) : [];
    const docs = [...this.initiativeDocs.values()].filter(
      (d) =>
        (query.programId === undefined || d.programId === query.programId) &&
        (query.unitId === undefined || (query.subtree ? d.unitPath.includes(query.unitId) : d.unitId === query.unitId)) &&
        (query.status === undefined || d.status === query.status) &&
        (query.phaseId === undefined || d.phaseId === query.phaseId) &&
        words.every((w) => d.searchText.includes(w)),
    );
    return page(docs, (d) => [initiativeSortValue(d), d.initiativeId], (a, b) => compareKeys(a, b, true, true), query.limit, query.cursor);
  }

  async everUnder(unitId: string): Promise<{ unitIds: string[]; initiativeIds: string[] }> {
    return {
      unitIds: [...this.units.values()].filter((u) => u.everPath.includes(unitId)).map((u) => u.unitId),
      initiativeIds: [...this.initiativeDocs.values()].filter((d) => d.everUnitPath.includes(unitId)).map((d) => d.initiativeId),
    };
  }

  async history(query: HistoryQuery): Promise<HistoryEntry[]> {
    const lines = [...(this.journal.get(rowKey(query.programId, query.unitId, query.phaseId))?.values() ?? [])].sort((a, b) => (a.position < b.position ? -1 : 1));
    const entries: HistoryEntry[] = [];
    for (const line of lines) {
      const scope = query.subtree ? line.subtree : line.own;
      const event = this.journalEvents.get(line.position)!;
      if (scope && line.position > (query.after ?? -1n) && withinDates(query, event.recordedAt)) entries.push(copy({ ...event, ...scope }));
      if (entries.length === query.limit) break;
    }
    return entries;
  }

  async *documents<K extends StoredDocumentKind>(kind: K): AsyncIterable<StoredDocuments[K]> {
    const source = { progress: this.rows, units: this.units, initiatives: this.initiativeDocs, programs: this.programs }[kind] as Map<string, StoredDocuments[K]>;
    for (const doc of [...source.values()]) yield copy(doc);
  }

  async *initiativeKeys(): AsyncIterable<StoredInitiativeKey> {
    for (const { initiativeId, unitId } of [...this.initiativeDocs.values()]) yield { initiativeId, unitId };
  }

  async close(): Promise<void> {}
}

/** Documents are JSON (money as strings), so a JSON round trip is a faithful deep copy. */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function clone<T>(value: T | undefined): T | null {
  return value === undefined ? null : copy(value);
}

/** Sort by value (asc or desc), then by id (asc, or desc when `idDescending`). */
function compareKeys(a: CursorKey, b: CursorKey, descending: boolean, idDescending: boolean): number {
  const byValue = a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
  if (byValue !== 0) return descending ? -byValue : byValue;
  const byId = a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
  return idDescending ? -byId : byId;
}

function page<T>(items: T[], keyOf: (item: T) => CursorKey, compare: (a: CursorKey, b: CursorKey) => number, limit: number, cursor?: string): Page<T> {
  const after = decodeCursor(cursor);
  const sorted = items.map((item) => ({ item, key: keyOf(item) })).sort((a, b) => compare(a.key, b.key));
  const start = after ? sorted.filter((x) => compare(x.key, after) > 0) : sorted;
  const slice = start.slice(0, limit);
  const more = start.length > limit;
  return { items: slice.map((x) => copy(x.item)), nextCursor: more ? encodeCursor(slice[slice.length - 1].key) : null };
}
