import { HistoryQueries } from '../audit/history-queries.port';
import { InitiativeQueries } from '../initiatives/initiative-queries.port';
import { ProgramQueries } from '../programs/program-queries.port';
import { ProgressQueries } from '../progress/progress-queries.port';
import { UnitQueries } from '../units/unit-queries.port';
import { ReadModelWriter } from './read-model-writer.port';
import { StoredDocumentsReader } from './stored-documents.port';

/**
 * One token for the live read models, whichever port a consumer uses. Every port is served by the
 * same object (the live generation, see SwitchingReadModelStore), so a token per port would only
 * repeat one provider under several names; consumers inject this token and type it as the narrowest
 * port they use (`@Inject(READ_MODEL_STORE) store: UnitQueries`), which is what keeps them narrow.
 */
export const READ_MODEL_STORE = Symbol('READ_MODEL_STORE');

/**
 * Where the read models live: every port at once, which each adapter implements. Adapters: SQLite
 * (embedded), MongoDB (production) and in memory. Consumers depend on the ports they use:
 * ReadModelWriter (the projector), ReadModelCheckpoint, StoredDocumentsReader, and the queries by
 * feature (ProgramQueries, ProgressQueries, UnitQueries, InitiativeQueries, HistoryQueries).
 */
export interface ReadModelStore extends ReadModelWriter, StoredDocumentsReader, ProgramQueries, ProgressQueries, UnitQueries, InitiativeQueries, HistoryQueries {}
