import { HistoryQuery } from './history-journal';
import { HistoryEntry } from './unit-history';

/** What the audit reads of the read models: a unit's history journal and the streams behind it. */
export interface HistoryQueries {
  /**
   * The units and initiatives that have ever been in the unit's subtree (moves and merges included):
   * the streams whose events make up its history.
   */
  everUnder(unitId: string): Promise<{ unitIds: string[]; initiativeIds: string[] }>;
  /** A page of a unit's history from the journal (see history-journal.ts): at most `limit` entries after `after`, in log order. */
  history(query: HistoryQuery): Promise<HistoryEntry[]>;
}
