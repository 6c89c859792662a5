import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiProtected, ApiRead } from '../openapi/api-docs';
import { UnitAnswerDto, UnitListDto } from './dto/unit-doc.dto';
import { QueryBus } from '@nestjs/cqrs';
import { UnitDoc } from '@app/read-models';
import { IdParamPipe } from '../common/id-param.pipe';
import { MinPosition } from '../read-models/min-position';
import { ChildrenQueryDto, DEFAULT_LIMIT, ReadQueryDto } from '../read-models/query.dto';
import { GetUnitQuery } from './queries/get-unit';
import { ListChildrenQuery, UnitList } from './queries/list-children';
import { Allow, READERS, unitParam } from '../auth/access-rule';

@ApiTags('units')
@ApiProtected()
@Controller('units')
export class UnitQueriesController {
  constructor(private readonly queries: QueryBus) {}

  @ApiRead({ summary: 'A unit: tree, member counts, assigned quotas', response: UnitAnswerDto, problems: { 404: ['UNIT_NOT_FOUND'] } })
  @Get(':id')
  @Allow(READERS, unitParam('id'))
  get(@Param('id', IdParamPipe) id: string, @Query() _: ReadQueryDto, @MinPosition() minPosition?: string): Promise<UnitDoc & { position: string }> {
    return this.queries.execute(new GetUnitQuery(id, minPosition));
  }

  @ApiRead({ summary: 'Its children, paged', response: UnitListDto, problems: { 400: ['INVALID_CURSOR'], 404: ['UNIT_NOT_FOUND'] } })
  @Get(':id/children')
  @Allow(READERS, unitParam('id'))
  children(@Param('id', IdParamPipe) id: string, @Query() q: ChildrenQueryDto, @MinPosition() minPosition?: string): Promise<UnitList> {
    return this.queries.execute(new ListChildrenQuery(id, q.limit ?? DEFAULT_LIMIT, q.cursor, minPosition));
  }
}
