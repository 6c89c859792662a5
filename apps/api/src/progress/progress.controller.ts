import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiProtected, ApiRead } from '../openapi/api-docs';
import { ProgressListDto, RankingsDto, UnitProgressDto } from './dto/progress.dto';
import { QueryBus } from '@nestjs/cqrs';
import { IdParamPipe } from '../common/id-param.pipe';
import { MinPosition } from '../read-models/min-position';
import { DEFAULT_LIMIT, FinishedEarlyQueryDto, ProgramProgressQueryDto, RankingsQueryDto, UnitProgressQueryDto } from '../read-models/query.dto';
import { GetFinishedEarlyQuery } from './queries/get-finished-early';
import { GetProgramProgressQuery, ProgressList } from './queries/get-program-progress';
import { GetRankingsQuery, Rankings } from './queries/get-rankings';
import { GetUnitProgressQuery, UnitProgress } from './queries/get-unit-progress';
import { Allow, AUDITORS, everywhere, READERS, unitInQuery, unitParam } from '../auth/access-rule';

@ApiTags('progress')
@ApiProtected()
@Controller()
export class ProgressController {
  constructor(private readonly queries: QueryBus) {}

  @ApiRead({ summary: 'Progress rows of a programme, filtered and paged', response: ProgressListDto, problems: { 400: ['INVALID_CURSOR'], 404: ['PROGRAM_NOT_FOUND', 'PHASE_NOT_FOUND'] } })
  @Get('programs/:id/progress')
  @Allow(READERS, unitInQuery('parentId'))
  programProgress(@Param('id', IdParamPipe) programId: string, @Query() q: ProgramProgressQueryDto, @MinPosition() minPosition?: string): Promise<ProgressList> {
    const { phaseId, parentId, kind, sort, limit, cursor } = q;
    return this.queries.execute(
      new GetProgramProgressQuery({ programId, phaseId, parentId, kind, sort: sort ?? 'unitId', limit: limit ?? DEFAULT_LIMIT, cursor }, minPosition),
    );
  }

  @ApiRead({ summary: 'Units ranked by attainment', response: RankingsDto, problems: { 404: ['PROGRAM_NOT_FOUND', 'PHASE_NOT_FOUND'] } })
  @Get('programs/:id/rankings')
  @Allow(READERS, unitInQuery('parentId'))
  rankings(@Param('id', IdParamPipe) programId: string, @Query() q: RankingsQueryDto, @MinPosition() minPosition?: string): Promise<Rankings> {
    const { phaseId, parentId, kind, limit } = q;
    return this.queries.execute(new GetRankingsQuery(programId, { phaseId, parentId, kind, limit: limit ?? DEFAULT_LIMIT }, minPosition));
  }

  @ApiRead({ summary: 'Units that reached their quota before the phase end', response: ProgressListDto, problems: { 400: ['INVALID_CURSOR'], 404: ['PROGRAM_NOT_FOUND', 'PHASE_NOT_FOUND'] } })
  @Get('programs/:id/finished-early')
  @Allow(READERS, everywhere)
  finishedEarly(@Param('id', IdParamPipe) programId: string, @Query() q: FinishedEarlyQueryDto, @MinPosition() minPosition?: string): Promise<ProgressList> {
    return this.queries.execute(new GetFinishedEarlyQuery(programId, { phaseId: q.phaseId, limit: q.limit ?? DEFAULT_LIMIT, cursor: q.cursor }, minPosition));
  }

  @ApiRead({ summary: "A unit's rows for every phase and all, now, as of a position or instant, or on a date", response: UnitProgressDto, problems: { 404: ['PROGRAM_NOT_FOUND', 'UNIT_NOT_FOUND'] } })
  @Get('units/:id/progress')
  // Figures as they were (asOf) or by business dates (on) are audits.
  @Allow((request) => (request.query.asOf !== undefined || request.query.on !== undefined ? AUDITORS : READERS), unitParam('id'))
  unitProgress(@Param('id', IdParamPipe) unitId: string, @Query() q: UnitProgressQueryDto, @MinPosition() minPosition?: string): Promise<UnitProgress> {
    return this.queries.execute(new GetUnitProgressQuery(unitId, q.programId, minPosition, { asOf: q.asOf, on: q.on, rules: q.rules }));
  }
}
