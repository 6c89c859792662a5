import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DEFAULT_READINESS, ReadinessConfig } from '../config/app-config';
import { GracefulShutdown, SHUTDOWN_GRACE_MS } from '../lifecycle/graceful-shutdown';
import { HealthController } from './health.controller';
import { Readiness, READINESS_CONFIG } from './readiness';

/** /health/live, /health/ready, and the shutdown sequence that turns readiness off first. */
@Module({})
export class HealthModule {
  static forRoot(readiness: ReadinessConfig = DEFAULT_READINESS, shutdownGraceMs = 10_000): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [Readiness, GracefulShutdown, { provide: READINESS_CONFIG, useValue: readiness }, { provide: SHUTDOWN_GRACE_MS, useValue: shutdownGraceMs }],
    };
  }
}
