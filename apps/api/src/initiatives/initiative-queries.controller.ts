import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiProtected, ApiRead } from '../openapi/api-docs';
import { InitiativeDocDto as InitiativeAnswerDto, InitiativeListDto } from './dto/initiative-doc.dto';
import { QueryBus } from '@nestjs/cqrs';
import { IdParamPipe } from '../common/id-param.pipe';
import { MinPosition } from '../read-models/min-position';
import { DEFAULT_LIMIT, InitiativesQueryDto, ReadQueryDto } from '../read-models/query.dto';
import { toStoredStatus } from './initiative-status';
import { GetInitiativeQuery, InitiativeAnswer } from './queries/get-initiative';
import { InitiativeList, ListInitiativesQuery } from './queries/list-initiatives';
import { Allow, initiativeParam, READERS, unitInQuery } from '../auth/access-rule';

@ApiTags('initiatives')
@ApiProtected()
@Controller('initiatives')
export class InitiativeQueriesController {
  constructor(private readonly queries: QueryBus) {}

  @ApiRead({ summary: 'List and search initiatives (q matches with or without diacritics)', response: InitiativeListDto, problems: { 400: ['INVALID_CURSOR'] } })
  @Get()
  @Allow(READERS, unitInQuery('unitId'))
  list(@Query() q: InitiativesQueryDto, @MinPosition() minPosition?: string): Promise<InitiativeList> {
    const { programId, unitId, subtree, status, phaseId, q: text, limit, cursor } = q;
    return this.queries.execute(
      new ListInitiativesQuery({ programId, unitId, subtree: subtree === 'true', status: status && toStoredStatus(status), phaseId, q: text, limit: limit ?? DEFAULT_LIMIT, cursor }, minPosition),
    );
  }

  @ApiRead({ summary: 'One initiative', response: InitiativeAnswerDto, problems: { 404: ['INITIATIVE_NOT_FOUND'] } })
  @Get(':id')
  @Allow(READERS, initiativeParam('id'))
  get(@Param('id', IdParamPipe) id: string, @Query() _: ReadQueryDto, @MinPosition() minPosition?: string): Promise<InitiativeAnswer> {
    return this.queries.execute(new GetInitiativeQuery(id, minPosition));
  }
}
