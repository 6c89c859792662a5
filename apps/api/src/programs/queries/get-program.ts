import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ProgramDoc } from '@app/read-models';
import { ReadSide, RulesStamp } from '../../read-models/read-side';

export type ProgramView = ProgramDoc & RulesStamp & { position: string };

/** A programme's phases, dates, targets and counting rule, as the figures are computed under them. */
export class GetProgramQuery {
  constructor(
    readonly programId: string,
    readonly minPosition?: string,
  ) {}
}

@QueryHandler(GetProgramQuery)
export class GetProgramHandler implements IQueryHandler<GetProgramQuery, ProgramView> {
  constructor(private readonly readSide: ReadSide) {}

  async execute({ programId, minPosition }: GetProgramQuery): Promise<ProgramView> {
    const position = await this.readSide.positionAtLeast(minPosition);
    const program = await this.readSide.program(programId);
    return { ...program, ...this.readSide.rules(program), position };
  }
}
