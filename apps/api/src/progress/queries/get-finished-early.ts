import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ProgressQueries, READ_MODEL_STORE } from '@app/read-models';
import { ReadSide } from '../../read-models/read-side';
import { ProgressList } from './get-program-progress';

/** Units whose quota was reached before the end of the phase (the article's list of units that finished early), earliest first. */
export class GetFinishedEarlyQuery {
  constructor(
    readonly programId: string,
    readonly filter: { phaseId?: string; limit: number; cursor?: string },
    readonly minPosition?: string,
  ) {}
}

@QueryHandler(GetFinishedEarlyQuery)
export class GetFinishedEarlyHandler implements IQueryHandler<GetFinishedEarlyQuery, ProgressList> {
  constructor(
    private readonly readSide: ReadSide,
    @Inject(READ_MODEL_STORE) private readonly progress: ProgressQueries,
  ) {}

  async execute({ programId, filter, minPosition }: GetFinishedEarlyQuery): Promise<ProgressList> {
    const position = await this.readSide.positionAtLeast(minPosition);
    const program = await this.readSide.program(programId);
    const phaseId = this.readSide.phaseKey(program, filter.phaseId);
    const page = await this.progress.progress({ programId, phaseId, finishedEarly: true, sort: 'reachedQuotaOn', limit: filter.limit, cursor: filter.cursor });
    return { ...page, position, ...this.readSide.rules(program) };
  }
}
