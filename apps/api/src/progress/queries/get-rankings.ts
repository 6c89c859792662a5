import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { UnitKind } from '@app/domain';
import { ProgressQueries, ProgressRow, READ_MODEL_STORE } from '@app/read-models';
import { ReadSide, RulesStamp } from '../../read-models/read-side';

export interface Rankings extends RulesStamp {
  phaseId: string;
  items: (ProgressRow & { rank: number })[];
  nextCursor: null;
  position: string;
}

/**
 * Units ordered by attainment within a parent, a kind and a phase. Equal attainment shares a rank
 * (1, 2, 2, 4), as emulation tables do; a unit without a quota has no attainment and ranks last.
 */
export class GetRankingsQuery {
  constructor(
    readonly programId: string,
    readonly filter: { phaseId?: string; parentId?: string; kind?: UnitKind; limit: number },
    readonly minPosition?: string,
  ) {}
}

@QueryHandler(GetRankingsQuery)
export class GetRankingsHandler implements IQueryHandler<GetRankingsQuery, Rankings> {
  constructor(
    private readonly readSide: ReadSide,
    @Inject(READ_MODEL_STORE) private readonly progress: ProgressQueries,
  ) {}

  async execute({ programId, filter, minPosition }: GetRankingsQuery): Promise<Rankings> {
    const position = await this.readSide.positionAtLeast(minPosition);
    const program = await this.readSide.program(programId);
    const phaseId = this.readSide.phaseKey(program, filter.phaseId);
    const { items } = await this.progress.progress({
      programId,
      phaseId,
      parentId: filter.parentId,
      kind: filter.kind,
      sort: '-attainmentPercent',
      limit: filter.limit,
    });
    const ranked = items.map((row, i) => ({ ...row, rank: i + 1 }));
    for (let i = 1; i < ranked.length; i++) {
      if (ranked[i].attainmentPercent === ranked[i - 1].attainmentPercent) ranked[i].rank = ranked[i - 1].rank;
    }
    return { phaseId, items: ranked, nextCursor: null, position, ...this.readSide.rules(program) };
  }
}
