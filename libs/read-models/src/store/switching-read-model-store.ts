import { HistoryQuery } from '../audit/history-journal';
import { HistoryEntry } from '../audit/unit-history';
import { InitiativeDoc } from '../initiatives/initiative-doc';
import { ProgressRow } from '../progress/progress-row';
import { ProgramDoc } from '../programs/program-doc';
import { ProjectionChanges } from '../projection/read-model-projections';
import { SavedProjectionState } from '../projection/projection-state';
import { UnitDoc } from '../units/unit-doc';
import { InitiativeQuery } from '../initiatives/initiative-queries.port';
import { ProgressQuery } from '../progress/progress-queries.port';
import { Page } from './page';
import { ReadModelStore } from './read-model-store.port';
import { StoredDocumentKind, StoredDocuments, StoredInitiativeKey } from './stored-documents.port';

/**
 * What queries read: the live generation of the read models. A switch replaces the reference in one
 * step, so a query reads either the old generation or the new one, never a mix of both.
 */
export class SwitchingReadModelStore implements ReadModelStore {
  constructor(public current: ReadModelStore) {}

  checkpoint(): Promise<bigint> {
    return this.current.checkpoint();
  }
  write(changes: ProjectionChanges, position: bigint, state?: SavedProjectionState): Promise<void> {
    return this.current.write(changes, position, state);
  }
  savedState(): Promise<SavedProjectionState | null> {
    return this.current.savedState();
  }
  program(programId: string): Promise<ProgramDoc | null> {
    return this.current.program(programId);
  }
  progress(query: ProgressQuery): Promise<Page<ProgressRow>> {
    return this.current.progress(query);
  }
  unitProgress(programId: string, unitId: string): Promise<ProgressRow[]> {
    return this.current.unitProgress(programId, unitId);
  }
  unit(unitId: string): Promise<UnitDoc | null> {
    return this.current.unit(unitId);
  }
  children(unitId: string, limit: number, cursor?: string): Promise<Page<UnitDoc>> {
    return this.current.children(unitId, limit, cursor);
  }
  initiative(initiativeId: string): Promise<InitiativeDoc | null> {
    return this.current.initiative(initiativeId);
  }
  initiativesById(initiativeIds: readonly string[]): Promise<InitiativeDoc[]> {
    return this.current.initiativesById(initiativeIds);
  }
  initiatives(query: InitiativeQuery): Promise<Page<InitiativeDoc>> {
    return this.current.initiatives(query);
  }
  everUnder(unitId: string): Promise<{ unitIds: string[]; initiativeIds: string[] }> {
    return this.current.everUnder(unitId);
  }
  history(query: HistoryQuery): Promise<HistoryEntry[]> {
    return this.current.history(query);
  }
  bulkLoading(): Promise<bigint | null> {
    return this.current.bulkLoading();
  }
  beginBulkLoad(): Promise<void> {
    return this.current.beginBulkLoad();
  }
  endBulkLoad(): Promise<void> {
    return this.current.endBulkLoad();
  }
  documents<K extends StoredDocumentKind>(kind: K): AsyncIterable<StoredDocuments[K]> {
    return this.current.documents(kind);
  }
  initiativeKeys(): AsyncIterable<StoredInitiativeKey> {
    return this.current.initiativeKeys();
  }
  close(): Promise<void> {
    return this.current.close();
  }
}
