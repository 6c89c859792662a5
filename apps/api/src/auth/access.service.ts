import { Injectable } from '@nestjs/common';
import { AccessCommand, accessDecider, AccessState, GrantScope, streams } from '@app/domain';
import { CommandContext, HandleResult } from '@app/event-store';
import { AccessAggregates } from '../common/aggregates';
import { issueApiKey } from './api-key';

export interface NewApiKey {
  subject: string;
  displayName?: string;
  roles: Omit<GrantScope, 'subject'>[];
  expiresAt: string | null;
  documentRef: string | null;
}

/** How long another instance's change to grants or keys may go unseen here. */
export const STALE_AFTER_MS = 500;

type Issued = 'by' | 'now';
type CommandBody = AccessCommand extends infer C ? (C extends AccessCommand ? Omit<C, Issued> : never) : never;

/** Grants and API keys, read from and written to the access stream of the event log. */
@Injectable()
export class AccessService {
  constructor(private readonly aggregates: AccessAggregates) {}

  private readonly perRequest = new WeakMap<object, Promise<AccessState>>();
  private cached?: { state: Promise<AccessState>; readAt: number };

  /**
   * The grants and keys, read again from the log when the last read is older than STALE_AFTER_MS
   * or this instance wrote to them since: a revocation counts from the next request on here, and
   * within STALE_AFTER_MS on every other instance, without a read of the log on every request.
   */
  state(): Promise<AccessState> {
    const now = Date.now();
    if (!this.cached || now - this.cached.readAt >= STALE_AFTER_MS) {
      const state = this.aggregates.load(accessDecider, streams.access()).then((loaded) => loaded.state);
      this.cached = { state, readAt: now };
      state.catch(() => (this.cached = undefined));
    }
    return this.cached.state;
  }

  /** The state read once for a request, by authentication and authorization alike. */
  stateFor(request: object): Promise<AccessState> {
    let state = this.perRequest.get(request);
    if (!state) this.perRequest.set(request, (state = this.state()));
    return state;
  }

  async createApiKey(key: NewApiKey, context: CommandContext): Promise<{ keyId: string; token: string; position: bigint }> {
    const issued = issueApiKey();
    const result = await this.execute(
      { type: 'CreateApiKey', keyId: issued.keyId, secretHash: issued.secretHash, ...key, displayName: key.displayName ?? key.subject },
      // A retry must not answer "already done" without the secret: key creation takes no Idempotency-Key.
      { ...context, idempotencyKey: undefined, requestHash: undefined },
    );
    return { keyId: issued.keyId, token: issued.token, position: result.position };
  }

  async execute(command: CommandBody, context: CommandContext): Promise<HandleResult> {
    try {
      return await this.aggregates.handle(accessDecider, streams.access(), { ...command, by: context.actor, now: context.now } as AccessCommand, context);
    } finally {
      this.cached = undefined;
    }
  }
}
