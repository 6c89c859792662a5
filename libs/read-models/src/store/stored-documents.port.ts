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

/** Whole read models read through (for verification, exports and the list of programmes). */
export interface StoredDocumentsReader {
  /** Every stored document of a kind, in no particular order. */
  documents<K extends StoredDocumentKind>(kind: K): AsyncIterable<StoredDocuments[K]>;
}
