import { DomainEventType, PROGRAM_EVENT_TYPES } from '@app/domain';
import { DocumentsById } from '../projection/documents-by-id';
import { StateChange } from '../projection/programme-state';
import { ReadModelProjection } from '../projection/read-model-projection';
import { ProgramDoc } from './program-doc';

const PROGRAM_EVENTS: ReadonlySet<DomainEventType> = new Set(PROGRAM_EVENT_TYPES);

/** The programmes' documents: the rules counted under, and how many versions were recorded since. */
export class ProgramsProjection extends DocumentsById<ProgramDoc> implements ReadModelProjection<ProgramDoc> {
  readonly handles = PROGRAM_EVENTS;

  apply(_e: unknown, change: StateChange): void {
    if (change.kind === 'program') this.dirty.add(change.programId);
  }

  markEverythingDirty(): void {
    for (const programId of this.state.programIds()) this.dirty.add(programId);
  }

  document(programId: string): ProgramDoc | undefined {
    const entry = this.state.program(programId);
    if (!entry) return undefined;
    const { rules } = entry;
    return {
      programId,
      name: rules.name,
      phases: rules.phases,
      eligibility: rules.eligibility,
      targetPercent: rules.targetPercent,
      countingRule: rules.countingRule,
      rulesVersion: rules.rulesVersion,
      latestRulesVersion: Math.max(entry.latestRulesVersion, rules.rulesVersion),
    };
  }
}
