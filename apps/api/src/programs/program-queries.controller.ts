import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { AnyAuthenticated } from '../auth/access-rule';
import { ApiProtected, ApiRead } from '../openapi/api-docs';
import { ProgramListDto, ProgramViewDto } from './dto/program-view.dto';
import { IdParamPipe } from '../common/id-param.pipe';
import { MinPosition } from '../read-models/min-position';
import { ReadQueryDto } from '../read-models/query.dto';
import { GetProgramQuery, ProgramView } from './queries/get-program';
import { ListProgramsQuery, ProgramList } from './queries/list-programs';

@ApiTags('programs')
@ApiProtected()
/** A programme's definition (phases, targets, rules) is no secret: every authenticated caller may read it. */
@Controller('programs')
export class ProgramQueriesController {
  constructor(private readonly queries: QueryBus) {}

  @ApiRead({ summary: 'Every programme, with its phases and rules', response: ProgramListDto })
  @Get()
  @AnyAuthenticated()
  list(@Query() _: ReadQueryDto, @MinPosition() minPosition?: string): Promise<ProgramList> {
    return this.queries.execute(new ListProgramsQuery(minPosition));
  }

  @ApiRead({ summary: 'One programme: phases, eligibility window, targets, counting rule', response: ProgramViewDto, problems: { 404: ['PROGRAM_NOT_FOUND'] } })
  @Get(':id')
  @AnyAuthenticated()
  get(@Param('id', IdParamPipe) id: string, @Query() _: ReadQueryDto, @MinPosition() minPosition?: string): Promise<ProgramView> {
    return this.queries.execute(new GetProgramQuery(id, minPosition));
  }
}
