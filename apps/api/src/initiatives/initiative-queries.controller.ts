import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { InitiativeDoc } from '@app/read-models';
import { IdParamPipe } from '../common/id-param.pipe';
import { MinPosition } from '../read-models/min-position';
import { DEFAULT_LIMIT, InitiativesQueryDto, ReadQueryDto } from '../read-models/query.dto';
import { GetInitiativeQuery } from './queries/get-initiative';
import { InitiativeList, ListInitiativesQuery } from './queries/list-initiatives';
import { Allow, initiativeParam, READERS, unitInQuery } from '../auth/access-rule';

@Controller('initiatives')
export class InitiativeQueriesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Allow(READERS, unitInQuery('unitId'))
  list(@Query() q: InitiativesQueryDto, @MinPosition() minPosition?: string): Promise<InitiativeList> {
    const { programId, unitId, subtree, status, phaseId, q: text, limit, cursor } = q;
    return this.queries.execute(
      new ListInitiativesQuery({ programId, unitId, subtree: subtree === 'true', status, phaseId, q: text, limit: limit ?? DEFAULT_LIMIT, cursor }, minPosition),
    );
  }

  @Get(':id')
  @Allow(READERS, initiativeParam('id'))
  get(@Param('id', IdParamPipe) id: string, @Query() _: ReadQueryDto, @MinPosition() minPosition?: string): Promise<InitiativeDoc & { position: string }> {
    return this.queries.execute(new GetInitiativeQuery(id, minPosition));
  }
}
