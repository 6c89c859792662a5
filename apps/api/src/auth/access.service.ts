import { Injectable } from '@nestjs/common';
import { AccessCommand, accessDecider, AccessState, GrantScope, streams } from '@app/domain';
import { AggregateStore, CommandContext, HandleResult } from '@app/event-store';
import { issueApiKey } from './api-key';

export interface NewApiKey {
  subject: string;
  displayName?: string;
  roles: Omit<GrantScope, 'subject'>[];
  expiresAt: string | null;
  documentRef: string | null;
}

type Issued = 'by' | 'now';
type CommandBody = AccessCommand extends infer C ? (C extends AccessCommand ? Omit<C, Issued> : never) : never;

/** Grants and API keys, read from and written to the access stream of the event log. */
@Injectable()
export class AccessService {
  constructor(private readonly aggregates: AggregateStore) {}

  private readonly perRequest = new WeakMap<object, Promise<AccessState>>();

  /** Read at every request: a revocation counts from the next request on, on every instance. */
  async state(): Promise<AccessState> {
    return (await this.aggregates.load(accessDecider, streams.access())).state;
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
      { type: 'CreateApiKey', keyId: issued.keyId, secretHash: issued.secretHash, displayName: key.displayName ?? key.subject, ...key },
      // A retry must not answer "already done" without the secret: key creation takes no Idempotency-Key.
      { ...context, idempotencyKey: undefined, requestHash: undefined },
    );
    return { keyId: issued.keyId, token: issued.token, position: result.position };
  }

  execute(command: CommandBody, context: CommandContext): Promise<HandleResult> {
    return this.aggregates.handle(accessDecider, streams.access(), { ...command, by: context.actor, now: context.now } as AccessCommand, context);
  }
}
