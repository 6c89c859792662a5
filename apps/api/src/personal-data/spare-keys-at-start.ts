import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EVENT_STORE } from '@app/event-store';
import { PersonalDataEventStore } from '@app/personal-data';

/** The service answers its first submissions at full speed: the spare keys they take are made before it listens. */
@Injectable()
export class SpareKeysAtStart implements OnApplicationBootstrap {
  private readonly logger = new Logger('PersonalData');

  constructor(@Inject(EVENT_STORE) private readonly store: PersonalDataEventStore) {}

  async onApplicationBootstrap(): Promise<void> {
    // Not made now, made by the first submission that needs one, which then reports what fails.
    await this.store.codec.prepare().catch((error: unknown) => this.logger.warn(`Spare keys not made at start: ${String(error)}`));
  }
}
