import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { holdsRole } from '@app/domain';
import type { Request, Response } from 'express';
import { problem, ProblemException } from '../common/problem';
import { ACCESS_RULE, AccessRule, PUBLIC_ROUTE } from './access-rule';
import { AccessService } from './access.service';
import { AuthConfig } from './auth.config';
import { AUTH_CONFIG } from './auth.tokens';
import { Authenticator, Unauthenticated } from './authenticator';
import { principalOf, setPrincipal } from './principal';
import { RateLimitGuard } from './rate-limit.guard';
import { UnitPaths } from './unit-paths';

/**
 * Every request but public routes: authenticate, count against the credential's rate limit, then
 * apply the route's rule (see access-rule.ts) to the grants in the log and the tree as it is now.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('Access');

  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly rateLimit: RateLimitGuard,
    private readonly access: AccessService,
    private readonly paths: UnitPaths,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (this.config.mode === 'on') await this.authenticate(request, context.switchToHttp().getResponse<Response>());
    await this.rateLimit.canActivate(context);
    const rule = this.reflector.get<AccessRule | undefined>(ACCESS_RULE, context.getHandler());
    if (!rule) {
      // A route added without a rule is refused to everyone until someone decides who may call it.
      this.logger.error(`${request.method} ${request.route?.path ?? request.path} has no access rule`);
      throw forbidden('This route has no access rule');
    }
    if (this.config.mode === 'off' || rule.anyone) return true;
    const principal = principalOf(request)!;
    const roles = typeof rule.roles === 'function' ? rule.roles(request) : rule.roles;
    const state = await this.access.stateFor(request);
    // An admin may do everything: no need to find where the request acts.
    if (holdsRole(state, principal.subject, [], null)) return true;
    const places = await Promise.all(rule.places.map((place) => place(request, this.paths)));
    if (!places.every((path) => holdsRole(state, principal.subject, roles, path))) {
      throw forbidden(`${principal.subject} may not ${request.method} ${request.path} here (needs ${['admin', ...roles].join(' or ')} over the units concerned)`);
    }
    return true;
  }

  private async authenticate(request: Request, response: Response): Promise<void> {
    try {
      setPrincipal(request, await this.authenticator.authenticate(request));
    } catch (error) {
      if (!(error instanceof Unauthenticated)) throw error;
      const sent = request.headers.authorization !== undefined;
      response.setHeader('WWW-Authenticate', `Bearer realm="one-million-initiatives"${sent ? ', error="invalid_token"' : ''}`);
      throw new ProblemException(problem(401, 'UNAUTHENTICATED', error.message));
    }
  }
}

function forbidden(detail: string): ProblemException {
  return new ProblemException(problem(403, 'FORBIDDEN', detail));
}
