import { ProgramRules, WHOLE_PROGRAM_KEY } from '@app/domain';
import { Credential, EventStore, StoredEvent } from '@app/event-store';
import { changeBetween, journalEventOf } from './history-journal';
import { replayLog } from './replay';

export interface HistoryTotals {
  counted: number;
  quota: number;
  /** Whole VND, digits. */
  benefitValue: string;
}

/** One event that moved a unit's counted number, its quota or its benefit total, and where it left them. */
export interface HistoryEntry {
  eventId: string;
  type: string;
  stream: string;
  position: string;
  recordedAt: string;
  /** The Vietnam local date the event takes effect on (its own business date, else the day it was recorded). */
  effectiveDate: string;
  /** Who: the authenticated subject, its display name and credential (absent on events written before authentication). */
  actor: string;
  actorName: string | null;
  credential: Credential | null;
  documentRef: string | null;
  /** The event's link in its stream's hash chain: what an auditor cites (null for events written before chains). */
  hash: string | null;
  /** What it changed: `counted: +1`, `quota: { from: 40, to: 55 }`, `benefitValue: "+6500000"`. */
  change: { counted?: number; quota?: { from: number; to: number }; benefitValue?: string };
  totals: HistoryTotals;
}

export interface HistoryRequest {
  programId: string;
  unitId: string;
  /** A phase id, or 'all' for the whole programme. */
  phaseId: string;
  /** Rolled up over the unit's subtree (true) or the unit's own initiatives (false). */
  subtree: boolean;
  rules: ReadonlyMap<string, ProgramRules>;
  /** The streams that concern the unit (see HistoryQueries.everUnder); absent, the whole log is replayed. */
  streams?: readonly string[];
}

/**
 * The journal of a unit's figures, replayed from the whole event store in log order: every event
 * after which the unit's counted number, quota or benefit total differ, with the running totals.
 * Its last totals are, by construction, what a projection of the same log reports.
 */
export async function unitHistory(events: EventStore, request: HistoryRequest, onProgress?: (eventsRead: number) => void): Promise<{ entries: HistoryEntry[]; position: bigint }> {
  const { programId, unitId, phaseId, subtree } = request;
  const entries: HistoryEntry[] = [];
  let before: { counted: number; quota: number; benefitValue: bigint } | undefined;
  const projection = await replayLog(events, {
    rules: request.rules,
    streams: request.streams,
    onProgress,
    onApplied: (event, p) => {
      if (!p.progress.touched(programId, unitId)) return;
      p.discardChanges();
      const after = p.progress.totals(programId, unitId, phaseId, subtree);
      if (!after) return;
      const was = before ?? { counted: 0, quota: after.quota, benefitValue: 0n };
      before = after;
      const change = changeBetween(was, after, event.type === 'QuotaAssigned' && quotaPhase(event) === phaseId);
      if (Object.keys(change).length === 0) return;
      entries.push({ ...journalEventOf(event), change, totals: { counted: after.counted, quota: after.quota, benefitValue: after.benefitValue.toString() } });
    },
  });
  return { entries, position: projection.position };
}

function quotaPhase(event: StoredEvent): string {
  return (event.data.phaseId as string | null) ?? WHOLE_PROGRAM_KEY;
}
