import { authConfigFromEnv } from './auth.config';

describe('authentication settings from the environment', () => {
  it('is on by default, with the first admin key beside the embedded store and no cross-origin access', () => {
    expect(authConfigFromEnv({}, './data')).toEqual({
      mode: 'on',
      firstAdminKeyFile: './data/admin-api-key',
      corsOrigins: [],
      rateLimit: { limit: 1200, windowMs: 60_000 },
    });
  });

  it('writes the first admin key where ADMIN_KEY_FILE says, whatever the store (EventStoreDB: no data directory)', () => {
    expect(authConfigFromEnv({ ADMIN_KEY_FILE: '/run/secrets/admin-api-key' }, undefined).firstAdminKeyFile).toBe('/run/secrets/admin-api-key');
    expect(authConfigFromEnv({}, undefined).firstAdminKeyFile).toBeUndefined();
  });

  it('refuses AUTH=off when NODE_ENV=production, and anything but on/off', () => {
    expect(authConfigFromEnv({ AUTH: 'off' }, undefined).mode).toBe('off');
    expect(() => authConfigFromEnv({ AUTH: 'off', NODE_ENV: 'production' }, undefined)).toThrow('AUTH=off is refused when NODE_ENV=production');
    expect(() => authConfigFromEnv({ AUTH: 'false' }, undefined)).toThrow('AUTH must be "on" or "off"');
  });

  it('reads the identity provider: the JWKS at the issuer’s /.well-known/jwks.json unless OIDC_JWKS_URL says otherwise', () => {
    expect(authConfigFromEnv({ OIDC_ISSUER: 'https://sso.example/realms/vgcl/', OIDC_AUDIENCE: 'omi' }, undefined).oidc).toEqual({
      issuer: 'https://sso.example/realms/vgcl/',
      audience: 'omi',
      jwksUrl: 'https://sso.example/realms/vgcl/.well-known/jwks.json',
    });
    const explicit = authConfigFromEnv({ OIDC_ISSUER: 'https://sso.example', OIDC_AUDIENCE: 'omi', OIDC_JWKS_URL: 'https://sso.example/certs' }, undefined);
    expect(explicit.oidc?.jwksUrl).toBe('https://sso.example/certs');
    expect(() => authConfigFromEnv({ OIDC_ISSUER: 'https://sso.example' }, undefined)).toThrow('OIDC_AUDIENCE is required');
    expect(() => authConfigFromEnv({ OIDC_ISSUER: 'sso.example', OIDC_AUDIENCE: 'omi' }, undefined)).toThrow('OIDC_ISSUER must be an http(s) URL');
  });

  it('reads CORS origins and rate limits, refusing nonsense', () => {
    const config = authConfigFromEnv({ CORS_ORIGINS: 'https://a.vn, https://b.vn', RATE_LIMIT: '50', RATE_LIMIT_WINDOW_MS: '1000' }, undefined);
    expect(config.corsOrigins).toEqual(['https://a.vn', 'https://b.vn']);
    expect(config.rateLimit).toEqual({ limit: 50, windowMs: 1000 });
    expect(() => authConfigFromEnv({ RATE_LIMIT: '0' }, undefined)).toThrow('RATE_LIMIT must be a positive integer');
  });
});
