import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAdmin, ApiProtected } from '../openapi/api-docs';
import { ProjectionListDto, RebuildStatusDto, VerificationJobDto } from './dto/admin.dto';
import { DomainError, notFound } from '@app/domain';
import { PROGRESS_PROJECTION, ProjectionManager, ProjectionStatus, RebuildInProgressError, RebuildStatus } from '@app/read-models';
import { IdParamPipe } from '../common/id-param.pipe';
import { IntegrityCheckDto } from '../integrity/seal.dto';
import { IntegrityJobDto } from '../integrity/dto/integrity-answers.dto';
import { NothingPipe } from '../common/nothing.pipe';
import { PROJECTION_MANAGER } from '../read-models/projection-manager.provider';
import { VerificationJob, VerificationJobs } from './verification-jobs';
import { AdminOnly, Allow, AUDITORS, everywhere } from '../auth/access-rule';

/** What admins use: the projections' state, rebuilds without downtime, whole-system verifications. */
@ApiTags('admin')
@ApiProtected()
@Controller('admin')
export class AdminController {
  constructor(
    @Inject(PROJECTION_MANAGER) private readonly manager: ProjectionManager,
    private readonly verifications: VerificationJobs,
  ) {}

  @ApiAdmin({ summary: 'Projections: version, generation, state, position, lag, rebuild progress', response: ProjectionListDto })
  @Get('projections')
  @Allow(AUDITORS, everywhere)
  async projections(@Query(NothingPipe) _: undefined): Promise<{ items: ProjectionStatus[] }> {
    return { items: [await this.manager.status()] };
  }

  /** Builds a new generation beside the live one and switches when it has caught up; answers at once (202). */
  @ApiAdmin({ summary: 'Rebuild a projection beside the live one; switches when caught up', status: 202, response: RebuildStatusDto, problems: { 404: ['PROJECTION_NOT_FOUND'], 409: ['REBUILD_IN_PROGRESS'] } })
  @Post('projections/:name/rebuild')
  @AdminOnly()
  @HttpCode(202)
  async rebuild(@Param('name', IdParamPipe) name: string, @Body(NothingPipe) _: undefined): Promise<RebuildStatus> {
    if (name !== PROGRESS_PROJECTION) throw notFound('Projection', name);
    try {
      return await this.manager.rebuild();
    } catch (error) {
      if (error instanceof RebuildInProgressError) throw new DomainError('REBUILD_IN_PROGRESS', error.message, 'conflict');
      throw error;
    }
  }

  @ApiAdmin({ summary: 'Start a whole-system verification in the background', status: 202, response: VerificationJobDto })
  @Post('verifications')
  @Allow(AUDITORS, everywhere)
  @HttpCode(202)
  verify(@Body(NothingPipe) _: undefined): Promise<VerificationJob> {
    return this.verifications.start();
  }

  @ApiAdmin({ summary: 'A verification job', response: VerificationJobDto, problems: { 404: ['VERIFICATION_NOT_FOUND'] } })
  @Get('verifications/:id')
  @Allow(AUDITORS, everywhere)
  verification(@Param('id', IdParamPipe) id: string, @Query(NothingPipe) _: undefined): VerificationJob {
    return this.verifications.get(id, 'consistency');
  }

  /** Checks every stream's hash chain and every seal in the background (202); poll GET /admin/integrity/{id}. */
  @ApiAdmin({ summary: "Check every stream's hash chain and every seal in the background", status: 202, response: IntegrityJobDto, problems: { 422: ['SEAL_SIGNATURE_INVALID'] } })
  @Post('integrity')
  @AdminOnly()
  @HttpCode(202)
  checkIntegrity(@Body() body: IntegrityCheckDto): Promise<VerificationJob> {
    if (body.seal && !this.verifications.verifiesSeal(body.seal)) {
      throw new DomainError('SEAL_SIGNATURE_INVALID', "The seal's signature does not verify with this service's public key (GET /audit/public-key)", 'rule');
    }
    return this.verifications.startIntegrity(body.seal);
  }

  @ApiAdmin({ summary: 'An integrity check: progress, then its report', response: IntegrityJobDto, problems: { 404: ['VERIFICATION_NOT_FOUND'] } })
  @Get('integrity/:id')
  @Allow(AUDITORS, everywhere)
  integrity(@Param('id', IdParamPipe) id: string, @Query(NothingPipe) _: undefined): VerificationJob {
    return this.verifications.get(id, 'integrity');
  }
}
