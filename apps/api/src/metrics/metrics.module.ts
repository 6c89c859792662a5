import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { COMMAND_OBSERVER } from '@app/event-store';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';

/** /metrics, and the Metrics every other part reports to (commands through COMMAND_OBSERVER). */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [Metrics, { provide: COMMAND_OBSERVER, useExisting: Metrics }],
  exports: [Metrics, COMMAND_OBSERVER],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*');
  }
}
