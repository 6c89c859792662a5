import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AccessService } from './access.service';
import { AuthConfig } from './auth.config';
import { AUTH_CONFIG } from './auth.tokens';

export const FIRST_ADMIN_SUBJECT = 'admin';

/** At every start: warn when authentication is off; on an empty access log, create the first admin key. */
@Injectable()
export class AuthStartup implements OnApplicationBootstrap {
  private readonly logger = new Logger('Access');

  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly access: AccessService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.mode === 'off') {
      const line = '!'.repeat(78);
      this.logger.warn(`\n${line}\n!! AUTH=off: NO AUTHENTICATION. Anyone reaching this port can do anything, under any\n!! name given in X-Actor. For local experiments only; refused when NODE_ENV=production.\n${line}`);
      return;
    }
    if (this.config.firstAdminKeyFile) await this.ensureFirstAdminKey(this.config.firstAdminKeyFile);
  }

  private async ensureFirstAdminKey(file: string): Promise<void> {
    const state = await this.access.state();
    if (state.keys.length > 0 || state.grants.length > 0) return;
    const now = new Date().toISOString();
    const { token } = await this.access.createApiKey(
      { subject: FIRST_ADMIN_SUBJECT, displayName: 'First administrator', roles: [{ role: 'admin', unitId: null }], expiresAt: null, documentRef: null },
      { actor: 'system', actorName: 'First start', credential: { kind: 'none', id: 'first-start' }, now, commandId: randomUUID(), correlationId: randomUUID() },
    );
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    this.logger.log(`First start: created an admin API key, written to ${file} (readable only by this user)`);
  }
}
