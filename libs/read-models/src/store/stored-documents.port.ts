import { InitiativeDoc } from '../initiatives/initiative-doc';
import { ProgressRow } from '../progress/progress-row';
import { ProgramDoc } from '../programs/program-doc';
import { UnitDoc } from '../units/unit-doc';

/** The documents of each read model, by the name `documents()` knows them by. */
export interface StoredDocuments {
  progress: ProgressRow;
  units: UnitDoc;
  initiatives: InitiativeDoc;
  programs: ProgramDoc;
}
export type StoredDocumentKind = keyof StoredDocuments;

/** Which initiative a stored document is, and under which unit: what the whole-system check needs of those it has compared already. */
export interface StoredInitiativeKey {
  initiativeId: string;
  unitId: string;
}

/** Whole read models read through (for verification, exports and the list of programmes). */
export interface StoredDocumentsReader {
  /** Every stored document of a kind, in no particular order. */
  documents<K extends StoredDocumentKind>(kind: K): AsyncIterable<StoredDocuments[K]>;
  /** Every stored initiative's key, in no particular order, without reading the rest of its document (a million of them nationally). */
  initiativeKeys(): AsyncIterable<StoredInitiativeKey>;
}
