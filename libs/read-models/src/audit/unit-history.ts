import { localDateOf, ProgramRules, WHOLE_PROGRAM_KEY } from '@app/domain';
import { Credential, EventStore, StoredEvent } from '@app/event-store';
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
  /** The streams that concern the unit (see ReadModelStore.everUnder); absent, the whole log is replayed. */
  streams?: readonly string[];
}

const EFFECTIVE_DATE_FIELDS = ['approvedOn', 'rejectedOn', 'withdrawnOn', 'revokedOn', 'submittedOn', 'effectiveOn'];

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
      if (!p.touched(programId, unitId)) return;
      p.discardChanges();
      const after = p.totals(programId, unitId, phaseId, subtree);
      if (!after) return;
      const was = before ?? { counted: 0, quota: after.quota, benefitValue: 0n };
      before = after;
      const change: HistoryEntry['change'] = {};
      if (after.counted !== was.counted) change.counted = after.counted - was.counted;
      if (after.quota !== was.quota || (event.type === 'QuotaAssigned' && quotaPhase(event) === phaseId)) change.quota = { from: was.quota, to: after.quota };
      if (after.benefitValue !== was.benefitValue) change.benefitValue = signed(after.benefitValue - was.benefitValue);
      if (Object.keys(change).length === 0) return;
      entries.push(entryOf(event, change, after));
    },
  });
  return { entries, position: projection.position };
}

function quotaPhase(event: StoredEvent): string {
  return (event.data.phaseId as string | null) ?? WHOLE_PROGRAM_KEY;
}

function signed(value: bigint): string {
  return value < 0n ? value.toString() : `+${value}`;
}

function entryOf(event: StoredEvent, change: HistoryEntry['change'], totals: { counted: number; quota: number; benefitValue: bigint }): HistoryEntry {
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
    change,
    totals: { counted: totals.counted, quota: totals.quota, benefitValue: totals.benefitValue.toString() },
  };
}
