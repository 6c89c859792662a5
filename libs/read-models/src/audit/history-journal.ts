import { localDateOf } from '@app/domain';
import { StoredEvent } from '@app/event-store';
import { HistoryEntry, HistoryTotals } from './unit-history';

/**
 * The history journal: for every event that moved a unit's counted number, quota or benefit total
 * in a phase (or the whole programme), the totals it left, per scope. Kept by the projection as a
 * read model, so that a page of any unit's history — a province's included — is an index range,
 * not a replay of everything ever under the unit. `unitHistory` replays the same from the log: the
 * unit verification compares the two.
 */
export interface JournalLine {
  programId: string;
  unitId: string;
  phaseId: string;
  position: bigint;
  /** What the event did to the unit's subtree (null: nothing an auditor follows). */
  subtree: JournalScope | null;
  /** What it did to the unit's own initiatives' figures. */
  own: JournalScope | null;
}

export interface JournalScope {
  change: HistoryEntry['change'];
  totals: HistoryTotals;
}

/** The event's side of a history entry, kept once per event that left any line. */
export type JournalEvent = Omit<HistoryEntry, 'change' | 'totals'>;

export interface JournalChanges {
  lines: JournalLine[];
  events: JournalEvent[];
}

export interface HistoryQuery {
  programId: string;
  unitId: string;
  phaseId: string;
  subtree: boolean;
  /** Entries after this position (a cursor). */
  after?: bigint;
  /** Vietnam local dates of recording, inclusive. */
  from?: string;
  to?: string;
  limit: number;
}

const EFFECTIVE_DATE_FIELDS = ['approvedOn', 'rejectedOn', 'withdrawnOn', 'revokedOn', 'submittedOn', 'effectiveOn'];

export function journalEventOf(event: StoredEvent): JournalEvent {
  const data = event.data as Record<string, unknown>;
  const own = EFFECTIVE_DATE_FIELDS.map((f) => data[f]).find((v) => typeof v === 'string') as string | undefined;
  const documentRef = [data.documentRef, data.decisionRef].find((v) => typeof v === 'string') as string | undefined;
  return {
    eventId: event.id,
    type: event.type,
    stream: event.streamId,
    position: event.position.toString(),
    recordedAt: event.metadata.recordedAt,
    effectiveDate: own ?? localDateOf(event.metadata.recordedAt),
    actor: event.metadata.actor,
    actorName: event.metadata.actorName ?? null,
    credential: event.metadata.credential ?? null,
    documentRef: documentRef ?? null,
    hash: event.metadata.hash ?? null,
  };
}

/** Whether an entry recorded on `recordedAt` falls in the query's dates. */
export function withinDates(query: Pick<HistoryQuery, 'from' | 'to'>, recordedAt: string): boolean {
  const day = localDateOf(recordedAt);
  return (!query.from || day >= query.from) && (!query.to || day <= query.to);
}

/** What an entry says changed between two totals (a quota letter shows even when it repeats the quota). */
export function changeBetween(
  was: { counted: number; quota: number; benefitValue: bigint },
  after: { counted: number; quota: number; benefitValue: bigint },
  quotaAssigned: boolean,
): HistoryEntry['change'] {
  const change: HistoryEntry['change'] = {};
  if (after.counted !== was.counted) change.counted = after.counted - was.counted;
  if (after.quota !== was.quota || quotaAssigned) change.quota = { from: was.quota, to: after.quota };
  if (after.benefitValue !== was.benefitValue) change.benefitValue = after.benefitValue < was.benefitValue ? (after.benefitValue - was.benefitValue).toString() : `+${after.benefitValue - was.benefitValue}`;
  return change;
}
