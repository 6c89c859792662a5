import { EventStore, StoredEvent } from '../event-store.port';
import { eventHash, GENESIS_HASH } from './event-hash';

/**
 * - content: the event is not what its hash committed to (edited data or metadata, or another event in its place);
 * - missing: revisions jump (an event was deleted);
 * - order: a revision comes again or backwards (events moved).
 */
export type BrokenLinkKind = 'content' | 'missing' | 'order';

export interface BrokenLink {
  stream: string;
  revision: string;
  position: string;
  kind: BrokenLinkKind;
  detail: string;
}

export interface IntegrityReport {
  intact: boolean;
  streams: number;
  events: number;
  /** Events written before chains existed: they carry no hash and prove nothing. */
  unchainedEvents: number;
  /** The broken link earliest in the log, null when every chain holds. */
  firstBroken: BrokenLink | null;
}

/** Follows each stream's chain event by event, as stored. */
class ChainWalker {
  private readonly heads = new Map<string, { previous: string; nextRevision: bigint }>();
  events = 0;
  unchained = 0;
  firstBroken: BrokenLink | null = null;

  get streams(): number {
    return this.heads.size;
  }

  visit(event: StoredEvent): void {
    this.events += 1;
    const head = this.heads.get(event.streamId) ?? { previous: GENESIS_HASH, nextRevision: 0n };
    this.heads.set(event.streamId, head);
    const computed = eventHash(head.previous, event);
    if (event.revision !== head.nextRevision) {
      const kind = event.revision > head.nextRevision ? 'missing' : 'order';
      this.broken(event, kind, kind === 'missing' ? `revision ${head.nextRevision} is missing: the next event found is ${event.revision}` : `revision ${event.revision} comes after ${head.nextRevision - 1n}`);
    } else if (event.metadata.hash === undefined) this.unchained += 1;
    else if (event.metadata.hash !== computed) this.broken(event, 'content', `stored hash ${event.metadata.hash}, the event as stored hashes to ${computed}`);
    head.previous = event.metadata.hash ?? computed;
    head.nextRevision = event.revision + 1n;
  }

  report(): IntegrityReport {
    return { intact: this.firstBroken === null, streams: this.streams, events: this.events, unchainedEvents: this.unchained, firstBroken: this.firstBroken };
  }

  private broken(event: StoredEvent, kind: BrokenLinkKind, detail: string): void {
    if (this.firstBroken && BigInt(this.firstBroken.position) <= event.position) return;
    this.firstBroken = { stream: event.streamId, revision: event.revision.toString(), position: event.position.toString(), kind, detail };
  }
}

/** Checks the chains of the given streams (a unit's, say), reading each whole. */
export async function verifyStreams(store: EventStore, streamIds: readonly string[]): Promise<IntegrityReport> {
  const walker = new ChainWalker();
  for (const streamId of streamIds) for (const event of await store.readStream(streamId)) walker.visit(event);
  return walker.report();
}

/** Checks every chain in one pass over the whole log, at the log's read rate. */
export async function verifyLog(store: EventStore, onProgress?: (events: number) => void, pageSize = 2000): Promise<IntegrityReport> {
  const walker = new ChainWalker();
  let after = 0n;
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize });
    for (const event of page) walker.visit(event);
    onProgress?.(walker.events);
    if (page.length < pageSize) return walker.report();
    after = page[page.length - 1]!.position;
  }
}
