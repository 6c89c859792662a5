import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiProtected, ApiRead } from '../openapi/api-docs';
import { UnitHistoryPageDto, UnitVerificationDto } from './dto/history.dto';
import { QueryBus } from '@nestjs/cqrs';
import { IntegrityReport } from '@app/event-store';
import { VerificationResult } from '@app/read-models';
import { IdParamPipe } from '../common/id-param.pipe';
import { MinPosition } from '../read-models/min-position';
import { DEFAULT_LIMIT, UnitHistoryQueryDto, VerifyQueryDto } from '../read-models/query.dto';
import { CheckUnitIntegrityQuery } from './queries/check-unit-integrity';
import { IntegrityReportDto } from '../integrity/dto/integrity-answers.dto';
import { GetUnitHistoryQuery, UnitHistoryPage } from './queries/get-unit-history';
import { VerifyUnitQuery } from './queries/verify-unit';
import { Allow, AUDITORS, unitParam } from '../auth/access-rule';

/** What auditors use: histories and verifications replayed from the event store, never read from the read model. */
@ApiTags('audit')
@ApiProtected()
@Controller('units')
export class AuditController {
  constructor(private readonly queries: QueryBus) {}

  @ApiRead({ summary: 'Every event that moved the unit\'s figures, replayed from the event store', response: UnitHistoryPageDto, problems: { 400: ['INVALID_CURSOR'], 404: ['PROGRAM_NOT_FOUND', 'PHASE_NOT_FOUND', 'UNIT_NOT_FOUND'] } })
  @Get(':id/history')
  @Allow(AUDITORS, unitParam('id'))
  history(@Param('id', IdParamPipe) unitId: string, @Query() q: UnitHistoryQueryDto, @MinPosition() minPosition?: string): Promise<UnitHistoryPage> {
    const { programId, phaseId, subtree, from, to, limit, cursor } = q;
    return this.queries.execute(new GetUnitHistoryQuery(unitId, { programId, phaseId, subtree: subtree === 'true', from, to, limit: limit ?? DEFAULT_LIMIT, cursor }, minPosition));
  }

  @ApiRead({ summary: 'Replay the unit and compare with the read model', response: UnitVerificationDto, problems: { 404: ['PROGRAM_NOT_FOUND', 'UNIT_NOT_FOUND'] } })
  @Get(':id/verify')
  @Allow(AUDITORS, unitParam('id'))
  verify(@Param('id', IdParamPipe) unitId: string, @Query() q: VerifyQueryDto, @MinPosition() minPosition?: string): Promise<VerificationResult> {
    return this.queries.execute(new VerifyUnitQuery(unitId, q.programId, minPosition));
  }

  /** Whether the events behind the unit's figures are what was recorded: the first broken link of their hash chains, if any. */
  @ApiRead({ summary: 'Check the hash chains of the streams behind the unit\'s figures', response: IntegrityReportDto, problems: { 404: ['PROGRAM_NOT_FOUND', 'UNIT_NOT_FOUND'] } })
  @Get(':id/integrity')
  @Allow(AUDITORS, unitParam('id'))
  integrity(@Param('id', IdParamPipe) unitId: string, @Query() q: VerifyQueryDto, @MinPosition() minPosition?: string): Promise<IntegrityReport> {
    return this.queries.execute(new CheckUnitIntegrityQuery(unitId, q.programId, minPosition));
  }
}
