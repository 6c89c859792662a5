/** How requests are authenticated and limited; every setting from the environment (README: Access). */
export interface AuthConfig {
  /** 'off' only for local experiments: every request acts as an admin named by X-Actor. */
  mode: 'on' | 'off';
  /** OpenID Connect bearer tokens; absent: API keys only. */
  oidc?: OidcConfig;
  /** Where the first admin key is written when the access log is empty (ADMIN_KEY_FILE, else beside the embedded store); absent: never. */
  firstAdminKeyFile?: string;
  /** Origins allowed by CORS; empty: no cross-origin access. */
  corsOrigins: string[];
  /** Requests per credential (or per address before authentication) in each window. */
  rateLimit: { limit: number; windowMs: number };
}

export interface OidcConfig {
  issuer: string;
  audience: string;
  jwksUrl: string;
}

export const DEFAULT_RATE_LIMIT = { limit: 1200, windowMs: 60_000 };

export function authConfigFromEnv(env: NodeJS.ProcessEnv, dataDir: string | undefined): AuthConfig {
  const mode = env.AUTH ?? 'on';
  if (mode !== 'on' && mode !== 'off') throw new Error(`AUTH must be "on" or "off", not "${mode}"`);
  if (mode === 'off' && env.NODE_ENV === 'production') throw new Error('AUTH=off is refused when NODE_ENV=production');
  return {
    mode,
    ...(env.OIDC_ISSUER ? { oidc: oidcConfig(env) } : {}),
    ...(env.ADMIN_KEY_FILE || dataDir !== undefined ? { firstAdminKeyFile: env.ADMIN_KEY_FILE || `${dataDir}/admin-api-key` } : {}),
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    rateLimit: {
      limit: positiveInteger(env, 'RATE_LIMIT', DEFAULT_RATE_LIMIT.limit),
      windowMs: positiveInteger(env, 'RATE_LIMIT_WINDOW_MS', DEFAULT_RATE_LIMIT.windowMs),
    },
  };
}

function oidcConfig(env: NodeJS.ProcessEnv): OidcConfig {
  const issuer = env.OIDC_ISSUER!;
  if (!env.OIDC_AUDIENCE) throw new Error('OIDC_AUDIENCE is required with OIDC_ISSUER');
  // The issuer's JWKS at the conventional path unless told otherwise: no discovery round trip at start.
  const jwksUrl = env.OIDC_JWKS_URL ?? `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`;
  for (const [name, url] of [['OIDC_ISSUER', issuer], ['OIDC_JWKS_URL', jwksUrl]]) {
    if (!/^https?:\/\//.test(url)) throw new Error(`${name} must be an http(s) URL, not "${url}"`);
  }
  return { issuer, audience: env.OIDC_AUDIENCE, jwksUrl };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, not "${raw}"`);
  return value;
}
