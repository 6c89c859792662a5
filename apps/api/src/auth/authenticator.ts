import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { usableKey } from '@app/domain';
import { AccessService } from './access.service';
import { looksLikeApiKey, parseApiKey, secretMatches } from './api-key';
import { AUTH_CONFIG } from './auth.tokens';
import { AuthConfig } from './auth.config';
import { OidcVerifier } from './oidc-verifier';
import { Principal } from './principal';

/** Why a credential was refused, for the 401's detail: never the credential itself. */
export class Unauthenticated extends Error {}

/** Turns an Authorization header into a principal, or refuses it. */
@Injectable()
export class Authenticator {
  private readonly logger = new Logger('Authentication');
  private readonly oidc?: OidcVerifier;

  constructor(
    @Inject(AUTH_CONFIG) config: AuthConfig,
    private readonly access: AccessService,
  ) {
    if (config.oidc) this.oidc = new OidcVerifier(config.oidc);
  }

  async authenticate(request: Request): Promise<Principal> {
    const authorization = request.headers.authorization;
    if (authorization === undefined) throw new Unauthenticated('The request carries no credentials: send Authorization: Bearer <token>');
    const match = typeof authorization === 'string' ? /^Bearer ([\x21-\x7e]{1,8192})$/i.exec(authorization) : null;
    if (!match) throw new Unauthenticated('The Authorization header must be "Bearer <token>"');
    const token = match[1];
    return looksLikeApiKey(token) ? this.apiKey(token, request) : this.bearerToken(token);
  }

  private async apiKey(token: string, request: Request): Promise<Principal> {
    const parsed = parseApiKey(token);
    const key = parsed && usableKey(await this.access.stateFor(request), parsed.keyId, new Date().toISOString());
    if (!parsed || !key || !secretMatches(parsed.secret, key.secretHash)) throw new Unauthenticated('The API key is unknown, revoked or expired');
    return { subject: key.subject, displayName: key.displayName, credential: { kind: 'api-key', id: key.keyId } };
  }

  private async bearerToken(token: string): Promise<Principal> {
    if (!this.oidc) throw new Unauthenticated('The token is not an API key, and no identity provider is configured');
    try {
      const claims = await this.oidc.verify(token);
      const name = [claims.name, claims.preferred_username, claims.email].find((v): v is string => typeof v === 'string');
      return { subject: claims.sub, displayName: name ?? claims.sub, credential: { kind: 'oidc', id: this.oidc.issuer } };
    } catch (error) {
      // The reason helps operators; the token never appears in the log.
      this.logger.debug(`Bearer token refused: ${error instanceof Error ? error.name : 'unknown error'}`);
      throw new Unauthenticated('The bearer token is not valid for this service');
    }
  }
}
