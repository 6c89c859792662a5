import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { Lookups } from '../common/lookups';
import { AccessController } from './access.controller';
import { AccessGuard } from './access.guard';
import { AccessService } from './access.service';
import { AuthConfig } from './auth.config';
import { AuthStartup } from './auth-startup';
import { AUTH_CONFIG } from './auth.tokens';
import { Authenticator } from './authenticator';
import { RateLimitGuard } from './rate-limit.guard';
import { UnitPaths } from './unit-paths';

/** Authentication, grants and API keys, and the one guard in front of every route. */
@Module({})
export class AuthModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: AuthModule,
      imports: [ThrottlerModule.forRoot({ throttlers: [{ ttl: config.rateLimit.windowMs, limit: config.rateLimit.limit }] })],
      controllers: [AccessController],
      providers: [
        { provide: AUTH_CONFIG, useValue: config },
        AccessService,
        Authenticator,
        Lookups,
        UnitPaths,
        RateLimitGuard,
        AuthStartup,
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
    };
  }
}
