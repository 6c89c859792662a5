import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { IdParamPipe } from '../common/id-param.pipe';
import { MinPosition } from '../read-models/min-position';
import { ReadQueryDto } from '../read-models/query.dto';
import { GetProgramQuery, ProgramView } from './queries/get-program';
import { ListProgramsQuery, ProgramList } from './queries/list-programs';

@Controller('programs')
export class ProgramQueriesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  list(@Query() _: ReadQueryDto, @MinPosition() minPosition?: string): Promise<ProgramList> {
    return this.queries.execute(new ListProgramsQuery(minPosition));
  }

  @Get(':id')
  get(@Param('id', IdParamPipe) id: string, @Query() _: ReadQueryDto, @MinPosition() minPosition?: string): Promise<ProgramView> {
    return this.queries.execute(new GetProgramQuery(id, minPosition));
  }
}
