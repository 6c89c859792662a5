import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { UnitDoc } from '@app/read-models';
import { IdParamPipe } from '../common/id-param.pipe';
import { MinPosition } from '../read-models/min-position';
import { ChildrenQueryDto, DEFAULT_LIMIT, ReadQueryDto } from '../read-models/query.dto';
import { GetUnitQuery } from './queries/get-unit';
import { ListChildrenQuery, UnitList } from './queries/list-children';
import { Allow, READERS, unitParam } from '../auth/access-rule';

@Controller('units')
export class UnitQueriesController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id')
  @Allow(READERS, unitParam('id'))
  get(@Param('id', IdParamPipe) id: string, @Query() _: ReadQueryDto, @MinPosition() minPosition?: string): Promise<UnitDoc & { position: string }> {
    return this.queries.execute(new GetUnitQuery(id, minPosition));
  }

  @Get(':id/children')
  @Allow(READERS, unitParam('id'))
  children(@Param('id', IdParamPipe) id: string, @Query() q: ChildrenQueryDto, @MinPosition() minPosition?: string): Promise<UnitList> {
    return this.queries.execute(new ListChildrenQuery(id, q.limit ?? DEFAULT_LIMIT, q.cursor, minPosition));
  }
}
