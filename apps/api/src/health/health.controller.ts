import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { NothingPipe } from '../common/nothing.pipe';
import { Public } from '../auth/access-rule';
import { problem, ProblemException } from '../common/problem';
import { HealthReportDto } from './health.dto';
import { Readiness } from './readiness';
import { ProblemDto } from '../openapi/problem.dto';

/** Probes for orchestrators; public, and kept out of the request log's way (they are cheap). */
@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: Readiness,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: HealthReportDto })
  live(@Query(NothingPipe) _: undefined): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: event store and read-model store reachable, projector live with its lag under READY_MAX_LAG_EVENTS' })
  @ApiOkResponse({ type: HealthReportDto })
  @ApiServiceUnavailableResponse({ description: '`NOT_READY`, with every check in `checks`', type: ProblemDto })
  async ready(@Query(NothingPipe) _: undefined): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.readiness.eventStore(), () => this.readiness.readModelStore(), () => this.readiness.projector()]);
    } catch (error) {
      const checks = (error as { getResponse?: () => HealthCheckResult }).getResponse?.().details;
      throw new ProblemException(problem(503, 'NOT_READY', 'The service is not ready to serve requests', { retryAfterSeconds: 1, checks }));
    }
  }
}
