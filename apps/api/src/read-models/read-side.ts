import { Inject, Injectable } from '@nestjs/common';
import { notFound, WHOLE_PROGRAM_KEY } from '@app/domain';
import { ProgramDoc, READ_MODEL_STORE, ReadModelStore } from '@app/read-models';
import { Freshness } from './freshness';

/** What every program-scoped answer says about the rules its figures were computed under. */
export interface RulesStamp {
  rulesVersion: number;
  /** True when rules changed since: the figures await a rebuild. */
  stale: boolean;
}

/** The query side's access to the read models: freshness first, then lookups that 404 cleanly. */
@Injectable()
export class ReadSide {
  constructor(
    @Inject(READ_MODEL_STORE) readonly store: ReadModelStore,
    private readonly freshness: Freshness,
  ) {}

  /** Waits until the read model has reached minPosition; returns the position reached, as digits. */
  async positionAtLeast(minPosition: string | undefined): Promise<string> {
    return (await this.freshness.atLeast(minPosition === undefined ? undefined : BigInt(minPosition))).toString();
  }

  async program(programId: string): Promise<ProgramDoc> {
    const program = await this.store.program(programId);
    if (!program) throw notFound('Program', programId);
    return program;
  }

  /** A phase id of the programme, or 'all' when none is given. */
  phaseKey(program: ProgramDoc, phaseId: string | undefined): string {
    if (phaseId === undefined || phaseId === WHOLE_PROGRAM_KEY) return WHOLE_PROGRAM_KEY;
    if (!program.phases.some((p) => p.id === phaseId)) throw notFound('Phase', phaseId);
    return phaseId;
  }

  rules(program: ProgramDoc): RulesStamp {
    return { rulesVersion: program.rulesVersion, stale: program.latestRulesVersion > program.rulesVersion };
  }
}
