import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { EVENT_STORE, EventStore } from '@app/event-store';
import { ProjectionManager, READ_MODEL_STORE, ReadModelCheckpoint } from '@app/read-models';
import { ReadinessConfig } from '../config/app-config';
import { GracefulShutdown } from '../lifecycle/graceful-shutdown';
import { PROJECTION_MANAGER } from '../read-models/projection-manager.provider';

export const READINESS_CONFIG = Symbol('READINESS_CONFIG');

/** A store that hangs is as unready as one that refuses: each probe gets this long. */
const PROBE_TIMEOUT_MS = 2_000;

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The terminus indicators of /health/ready: both stores answer, the projector is live and close enough to the head. */
@Injectable()
export class Readiness {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelCheckpoint,
    @Inject(PROJECTION_MANAGER) private readonly manager: ProjectionManager,
    @Inject(READINESS_CONFIG) private readonly config: ReadinessConfig,
    private readonly shutdown: GracefulShutdown,
  ) {}

  eventStore(): Promise<HealthIndicatorResult<'eventStore'>> {
    return this.probe('eventStore', async () => ({ head: (await this.events.headPosition()).toString() }));
  }

  readModelStore(): Promise<HealthIndicatorResult<'readModelStore'>> {
    return this.probe('readModelStore', async () => ({ checkpoint: (await this.readModels.checkpoint()).toString() }));
  }

  /** Up with the facts `read` gives within the probe timeout; down with the reason when it fails or hangs. */
  private async probe<const Key extends string>(key: Key, read: () => Promise<Record<string, string>>): Promise<HealthIndicatorResult<Key>> {
    const check = this.health.check(key);
    try {
      return check.up(await withTimeout(read()));
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }

  async projector(): Promise<HealthIndicatorResult<'projector'>> {
    const check = this.health.check('projector');
    if (this.shutdown.stopping) return check.down({ message: 'shutting down' });
    try {
      const status = await withTimeout(this.manager.status());
      const facts = { state: status.state, lag: status.lag, lagSeconds: status.lagSeconds, maxLag: String(this.config.maxLagEvents) };
      if (status.state === 'failed') return check.down({ ...facts, message: 'the projection failed' });
      if (BigInt(status.lag) > BigInt(this.config.maxLagEvents)) return check.down({ ...facts, message: `the read models are ${status.lag} events behind` });
      return check.up(facts);
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }
}
