import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EVENT_STORE, EventStore, SEAL_STREAM, SealHeads, sealLog, sealPreChainHistory, SealSigner } from '@app/event-store';
import { storedEvents } from '@app/personal-data';
import { SEAL_SIGNER } from './seal-signer';

export const SEAL_EVERY_MS = Symbol('SEAL_EVERY_MS');

/** Seals the log every so often when it has grown since the last seal (0: only on demand). Several replicas sealing too is harmless. */
@Injectable()
export class PeriodicSealer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Seals');
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(SEAL_SIGNER) private readonly signer: SealSigner,
    @Inject(SEAL_EVERY_MS) private readonly everyMs: number,
    private readonly heads: SealHeads,
  ) {}

  /** The first start on a log written before the chains existed seals that history once, before serving (see sealPreChainHistory). */
  async onApplicationBootstrap(): Promise<void> {
    await sealPreChainHistory(storedEvents(this.events), this.signer, new Date().toISOString(), systemMetadata(), this.heads).then(
      (sealed) => sealed && this.logger.log(`Sealed the history written before hash chains existed: ${sealed.seal.streams} streams up to position ${sealed.seal.upToPosition}`),
      // Not sealed now, sealed at the next start: the chains written meanwhile hold by themselves.
      (error: unknown) => this.logger.error(`Sealing the history written before hash chains failed: ${String(error)}`),
    );
    if (this.everyMs > 0) this.timer = setInterval(() => void this.sealIfGrown().catch((error: unknown) => this.logger.error(`Sealing failed: ${String(error)}`)), this.everyMs);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.heads.close();
  }

  private async sealIfGrown(): Promise<void> {
    const store = storedEvents(this.events);
    const [last] = await store.readStream(SEAL_STREAM, { direction: 'backwards', maxCount: 1 });
    // The seal's own event is the head after sealing: the log has grown only if something follows it.
    if (last && (await store.headPosition()) <= last.position) return;
    const now = new Date().toISOString();
    const { seal } = await sealLog(store, this.signer, now, systemMetadata(), this.heads);
    this.logger.log(`Sealed ${seal.streams} streams up to position ${seal.upToPosition}`);
  }
}

function systemMetadata() {
  return { actor: 'system:seals', correlationId: randomUUID(), commandId: randomUUID(), schemaVersion: 1 };
}
