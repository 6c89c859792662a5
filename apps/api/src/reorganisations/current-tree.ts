import { Inject, Injectable } from '@nestjs/common';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { domainEventCodec, UnitEvent, UnitTree } from '@app/domain';
import { EVENT_STORE, EventStore } from '@app/event-store';

const UNIT_EVENT_TYPES: readonly UnitEvent['type'][] = ['UnitRegistered', 'MemberCountRecorded', 'UnitMoved', 'UnitMerged', 'UnitClosed'];
/** Unit events per read: a page's scan of the log, and its folding, take a few tens of milliseconds, with a turn of the event loop between pages. */
const PAGE = 1_000;

/**
 * The whole unit tree as the log has it, from the units' events alone (a small part of the log: a
 * hundred thousand units nationally, not their millions of initiatives): what a plan is checked
 * against. Read from the source of truth, not the read models, so that a lagging projection
 * cannot let a plan through that its unit commands would then refuse.
 */
@Injectable()
export class CurrentTree {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async load(): Promise<{ tree: UnitTree; position: bigint }> {
    const tree = new UnitTree();
    return { tree, position: await this.update(tree, 0n) };
  }

  /** Brings a tree loaded up to `position` to the head of the log; answers the position it now stands at. */
  async update(tree: UnitTree, position: bigint): Promise<bigint> {
    const head = await this.events.headPosition();
    let after = position;
    while (after < head) {
      const page = await this.events.readAll({ after, maxCount: PAGE, eventTypes: UNIT_EVENT_TYPES });
      for (const event of page) if (event.position <= head) tree.apply(domainEventCodec.decode(event) as UnitEvent);
      if (page.length < PAGE) break;
      after = page[page.length - 1].position;
      // A synchronous store's read never yields: a national tree read whole would hold every request for seconds.
      await nextTurn();
    }
    return head > position ? head : position;
  }
}
