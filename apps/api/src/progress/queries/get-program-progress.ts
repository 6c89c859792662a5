import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ProgressQueries, ProgressQuery, ProgressRow, READ_MODEL_STORE } from '@app/read-models';
import { ReadSide, RulesStamp } from '../../read-models/read-side';

export interface ProgressList extends RulesStamp {
  items: ProgressRow[];
  nextCursor: string | null;
  position: string;
}

/** Progress rows of a programme's units for one phase (or the whole programme), filtered and paged. */
export class GetProgramProgressQuery {
  constructor(
    readonly query: Omit<ProgressQuery, 'phaseId'> & { phaseId?: string },
    readonly minPosition?: string,
  ) {}
}

@QueryHandler(GetProgramProgressQuery)
export class GetProgramProgressHandler implements IQueryHandler<GetProgramProgressQuery, ProgressList> {
  constructor(
    private readonly readSide: ReadSide,
    @Inject(READ_MODEL_STORE) private readonly progress: ProgressQueries,
  ) {}

  async execute({ query, minPosition }: GetProgramProgressQuery): Promise<ProgressList> {
    const position = await this.readSide.positionAtLeast(minPosition);
    const program = await this.readSide.program(query.programId);
    const phaseId = this.readSide.phaseKey(program, query.phaseId);
    const page = await this.progress.progress({ ...query, phaseId });
    return { ...page, position, ...this.readSide.rules(program) };
  }
}
