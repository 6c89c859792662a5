import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@app/event-store';
import { HistoryEntry, HistoryRequest, unitHistory } from '@app/read-models';

const CACHE_SIZE = 16;

/**
 * Unit histories are replayed from the whole event store (the source of truth, and the only way to
 * follow a unit through moves and merges of its subtree), which costs one pass over the log. So that
 * an auditor paging through a province's hundreds of thousands of entries pays that pass once, the
 * journal is kept (a few, least recently used first out): a first page is replayed afresh when the
 * log has moved on, and the pages after it are slices of the journal the first page came from, as
 * long as it has entries past the cursor (when it runs out and the log has grown, it is replayed again).
 * The alternative, an index of which streams touch which unit, would not survive moves and merges:
 * a unit's history then includes streams that never named it.
 */
@Injectable()
export class HistoryService {
  private readonly cache = new Map<string, { head: bigint; entries: HistoryEntry[] }>();

  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  /** The journal; `after` is the position of the last entry the client already has (a cursor), if any. */
  async journal(request: HistoryRequest, rulesVersion: number, after?: bigint): Promise<HistoryEntry[]> {
    const key = JSON.stringify([request.programId, request.unitId, request.phaseId, request.subtree, rulesVersion]);
    const head = await this.events.headPosition();
    const cached = this.cache.get(key);
    this.cache.delete(key);
    const hasMore = (entries: HistoryEntry[]) => after !== undefined && entries.length > 0 && BigInt(entries[entries.length - 1].position) > after;
    if (cached && (cached.head === head || hasMore(cached.entries))) {
      this.cache.set(key, cached);
      return cached.entries;
    }
    const { entries } = await unitHistory(this.events, request);
    this.cache.set(key, { head, entries });
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return entries;
  }
}
