import { EventStore } from '@app/event-store';
import { ProgressRow } from '../progress/progress-row';
import { businessDateFilter } from './business-date-filter';
import { replayLog } from './replay';
import { programRules, RulesCut } from './rules-history';

/**
 * Two kinds of "then", both replayed from the event store:
 * - `recorded`: what the system had recorded by a position or an instant — what the report said
 *   that day (with the rules in force then, or today's);
 * - `businessDate`: the figures on a Vietnam local date by the facts' own dates, as known today
 *   (with the rules in force on that date, or today's).
 */
export type Then = { kind: 'recorded'; position: bigint } | { kind: 'recorded'; instant: string } | { kind: 'businessDate'; date: string };

export interface ProgressThen {
  rows: ProgressRow[];
  rulesVersion: number;
  /** The position of the last event the replay took into account (of those that concern the unit, when given its streams). */
  position: bigint;
}

export async function progressThen(
  events: EventStore,
  programId: string,
  unitId: string,
  then: Then,
  rulesOf: 'then' | 'current',
  /** The streams that concern the unit (see unitStreams); absent, the whole log is replayed. */
  unitStreamIds?: readonly string[],
): Promise<ProgressThen | undefined> {
  const cut: RulesCut =
    rulesOf === 'current'
      ? {}
      : then.kind === 'businessDate'
        ? { recordedOnOrBefore: then.date }
        : 'position' in then
          ? { upTo: then.position }
          : { recordedUpTo: then.instant };
  const rules = await programRules(events, programId, cut);
  if (!rules) return undefined;
  const projection = await replayLog(events, {
    rules: new Map([[programId, rules]]),
    streams: unitStreamIds,
    ...(then.kind === 'businessDate' ? { include: businessDateFilter(then.date) } : 'position' in then ? { upTo: then.position } : { recordedUpTo: then.instant }),
  });
  return { rows: projection.progress.rows(programId, unitId), rulesVersion: rules.rulesVersion, position: projection.position };
}
