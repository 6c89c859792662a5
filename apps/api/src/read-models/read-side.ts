import { Inject, Injectable } from '@nestjs/common';
import { notFound, WHOLE_PROGRAM_KEY } from '@app/domain';
import { ProgramDoc, ProgramQueries, READ_MODEL_STORE } from '@app/read-models';
import { Freshness } from './freshness';

/** What every program-scoped answer says about the rules its figures were computed under. */
export interface RulesStamp {
  rulesVersion: number;
  /** True when rules changed since: the figures await a rebuild. */
  stale: boolean;
}

/**
 * What every query handler does first: wait for freshness, then look the programme up (a 404 when
 * it is missing). Each handler injects the query port of its own feature for the rest.
 */
@Injectable()
export class ReadSide {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly programs: ProgramQueries,
    private readonly freshness: Freshness,
  ) {}

  /** Waits until the read model has reached minPosition; returns the position reached, as digits. */
  async positionAtLeast(minPosition: string | undefined): Promise<string> {
    return (await this.freshness.atLeast(minPosition === undefined ? undefined : BigInt(minPosition))).toString();
  }

  async program(programId: string): Promise<ProgramDoc> {
    const program = await this.programs.program(programId);
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
