import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { NothingPipe } from '../common/nothing.pipe';
import { Public } from '../auth/access-rule';
import { Metrics } from './metrics';

/** Prometheus' scrape target (text exposition format). Public like /health: it carries no programme data. */
@ApiTags('operations')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @ApiOperation({ summary: 'Prometheus metrics: HTTP, commands, events, projector, rebuilds, verifications, process' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4', schema: { type: 'string' } })
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async scrape(@Query(NothingPipe) _: undefined): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
