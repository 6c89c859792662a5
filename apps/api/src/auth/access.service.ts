import { Injectable } from '@nestjs/common';
import { AccessCommand, accessDecider, AccessState, GrantScope, streams } from '@app/domain';
import { CommandContext, HandleResult, Loaded } from '@app/event-store';
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
  private cached?: { loaded: Promise<Pick<Loaded<AccessState>, 'state' | 'expected'>>; readAt: number };

  /**
   * The grants and keys, brought up to date from the log when the last read is older than
   * STALE_AFTER_MS or this instance wrote to them since: a revocation counts from the next request
   * on here, and within STALE_AFTER_MS on every other instance. Only the events since the last read
   * are read and folded, so the cost per read does not grow with the credentials ever recorded.
   */
  state(): Promise<AccessState> {
    const now = Date.now();
    if (!this.cached || now - this.cached.readAt >= STALE_AFTER_MS) {
      const stream = streams.access();
      const before = this.cached?.loaded;
      const loaded = before ? before.then((from) => this.aggregates.catchUp(accessDecider, stream, from)) : this.aggregates.load(accessDecider, stream);
      const cached = (this.cached = { loaded, readAt: now });
      // A failed read is forgotten: the next request loads the stream whole again.
      loaded.catch(() => this.cached === cached && (this.cached = undefined));
    }
    return this.cached.loaded.then((loaded) => loaded.state);
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
      // Read again at the next request: what this instance wrote counts at once.
      if (this.cached) this.cached.readAt = -Infinity;
    }
  }
}
