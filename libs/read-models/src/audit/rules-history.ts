import { domainEventCodec, evolveProgram, initialProgramState, localDateOf, ProgramEvent, ProgramRules, streams } from '@app/domain';
import { EventStore, StoredEvent } from '@app/event-store';

/** Which of a programme's rule decisions to take into account. */
export interface RulesCut {
  /** Only decisions at or before this position. */
  upTo?: bigint;
  /** Only decisions recorded at or before this instant. */
  recordedUpTo?: string;
  /** Only decisions recorded on or before this Vietnam local date (the launch itself always counts: the programme's first rules). */
  recordedOnOrBefore?: string;
}

/**
 * A programme's rules as its own stream tells them, up to a cut: the rules in force when a report
 * was made (an auditor's "as of"), or today's rules (no cut), for recomputing history under them.
 */
export async function programRules(events: EventStore, programId: string, cut: RulesCut = {}): Promise<ProgramRules | undefined> {
  const stream = await events.readStream(streams.program(programId));
  return rulesFromProgramEvents(stream.filter((e) => withinCut(e, cut)));
}

export function rulesFromProgramEvents(stream: readonly StoredEvent[]): ProgramRules | undefined {
  let state = initialProgramState();
  // A programme's stream holds only programme events.
  for (const event of stream) state = evolveProgram(state, domainEventCodec.decode(event) as ProgramEvent);
  if (state.status !== 'launched') return undefined;
  const { programId, name, phases, eligibility, targetPercent, countingRule, rulesVersion } = state;
  return { programId, name, phases, eligibility, targetPercent, countingRule, rulesVersion };
}

function withinCut(event: StoredEvent, cut: RulesCut): boolean {
  if (cut.upTo !== undefined && event.position > cut.upTo) return false;
  if (cut.recordedUpTo !== undefined && Date.parse(event.metadata.recordedAt) > Date.parse(cut.recordedUpTo)) return false;
  if (cut.recordedOnOrBefore !== undefined && event.type !== 'ProgramLaunched' && localDateOf(event.metadata.recordedAt) > cut.recordedOnOrBefore) return false;
  return true;
}
