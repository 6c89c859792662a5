import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { GrantScope } from '@app/domain';
import { CommandContext } from '@app/event-store';
import { AppModuleOptions } from '../../apps/api/src/app.module';
import { AccessService } from '../../apps/api/src/auth/access.service';
import { AuthConfig } from '../../apps/api/src/auth/auth.config';
import { createApp } from '../../apps/api/src/bootstrap';

/** Authentication on, as in production; the limit is high enough for suites that import thousands of rows. */
export const TEST_AUTH: AuthConfig = { mode: 'on', corsOrigins: [], rateLimit: { limit: 1_000_000, windowMs: 60_000 } };

const adminTokens = new WeakMap<INestApplication, string>();

/** The application as the end-to-end suites use it: initialised, with an admin API key of its own (see `asAdmin`). */
export async function createTestApp(options: Omit<AppModuleOptions, 'auth'> & { auth?: Partial<AuthConfig> }): Promise<INestApplication> {
  const app = await createApp({ ...options, auth: { ...TEST_AUTH, ...options.auth } });
  await app.init();
  adminTokens.set(app, await issueKey(app, 'test-admin', [{ role: 'admin', unitId: null }]));
  return app;
}

/** An API key for a subject, with these grants (written as events, like POST /admin/api-keys). */
export async function issueKey(app: INestApplication, subject: string, roles: Omit<GrantScope, 'subject'>[], expiresAt: string | null = null): Promise<string> {
  const { token } = await app.get(AccessService).createApiKey({ subject, roles, expiresAt, documentRef: 'test' }, systemContext());
  return token;
}

export function adminTokenOf(app: INestApplication): string {
  const token = adminTokens.get(app);
  if (!token) throw new Error('not an app made by createTestApp');
  return token;
}

/** Requests with a bearer token (the app's admin key unless told otherwise). */
export function authorized(app: INestApplication, token: string = adminTokenOf(app)) {
  const server = app.getHttpServer();
  const withToken = (test: request.Test) => test.set('authorization', `Bearer ${token}`);
  return {
    get: (url: string) => withToken(request(server).get(url)),
    post: (url: string) => withToken(request(server).post(url)),
    put: (url: string) => withToken(request(server).put(url)),
    patch: (url: string) => withToken(request(server).patch(url)),
    delete: (url: string) => withToken(request(server).delete(url)),
  };
}

function systemContext(): CommandContext {
  return { actor: 'test-setup', now: new Date().toISOString(), commandId: randomUUID(), correlationId: randomUUID() };
}
