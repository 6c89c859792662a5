import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@app/event-store';
import { READ_MODEL_STORE, UnitQueries } from '@app/read-models';
import { ReadSide } from '../read-models/read-side';

const PAGE = 500;

/**
 * A unit's active subordinate units, for the rule that a unit with any cannot be closed. The event
 * log has no index by parent; the units read model has, once it has caught up with the head of the
 * log, which this waits for (bounded, like any read-your-writes query).
 */
@Injectable()
export class ActiveChildren {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly readSide: ReadSide,
    @Inject(READ_MODEL_STORE) private readonly units: UnitQueries,
  ) {}

  /** Up to `max` ids: enough to refuse and to say which. */
  async of(unitId: string, max = 20): Promise<string[]> {
    await this.readSide.positionAtLeast((await this.events.headPosition()).toString());
    const found: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.units.children(unitId, PAGE, cursor);
      for (const child of page.items) if (child.status === 'active' && found.length < max) found.push(child.unitId);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined && found.length < max);
    return found;
  }
}
