import { DomainEventType } from '@app/domain';
import { ProgrammeState, StateChange } from '../projection/programme-state';
import { ReadModelProjection } from '../projection/read-model-projection';
import { ProgramDoc } from './program-doc';

const PROGRAM_EVENTS: ReadonlySet<DomainEventType> = new Set<DomainEventType>(['ProgramLaunched', 'PhaseAmended', 'CountingRuleChanged', 'EligibilityWindowChanged']);

/** The programmes' documents: the rules counted under, and how many versions were recorded since. */
export class ProgramsProjection implements ReadModelProjection<ProgramDoc> {
  readonly handles = PROGRAM_EVENTS;
  private readonly dirty = new Set<string>();

  constructor(private readonly state: ProgrammeState) {}

  apply(_e: unknown, change: StateChange): void {
    if (change.kind === 'program') this.dirty.add(change.programId);
  }

  hasChanges(): boolean {
    return this.dirty.size > 0;
  }

  flush(): ProgramDoc[] {
    const docs = [...this.dirty].sort().flatMap((id) => this.document(id) ?? []);
    this.dirty.clear();
    return docs;
  }

  discard(): void {
    this.dirty.clear();
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
