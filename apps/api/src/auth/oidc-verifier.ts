import { createRemoteJWKSet, JWTPayload, jwtVerify } from 'jose';
import { OidcConfig } from './auth.config';

/** Asymmetric algorithms only: `none` and every HMAC algorithm (a public key used as a shared secret) are refused. */
export const ALLOWED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** Verifies the identity provider's tokens against its JWKS (fetched, cached and refreshed on an unknown kid by jose). */
export class OidcVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly config: OidcConfig) {
    this.jwks = createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 5_000 });
  }

  /** @throws when the token is not valid for this service, for whatever reason */
  async verify(token: string): Promise<JWTPayload & { sub: string }> {
    const { payload } = await jwtVerify(token, this.jwks, {
      issuer: this.config.issuer,
      audience: this.config.audience,
      algorithms: ALLOWED_ALGORITHMS,
      requiredClaims: ['sub', 'exp'],
      clockTolerance: 30,
    });
    return payload as JWTPayload & { sub: string };
  }

  get issuer(): string {
    return this.config.issuer;
  }
}
