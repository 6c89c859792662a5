import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@app/event-store';
import { HistoryEntry, HistoryRequest, unitHistory } from '@app/read-models';

const CACHE_SIZE = 16;

/**
 * Unit histories are replayed from the event store, the source of truth. Not from the whole log: the
 * read model keeps, for every unit and initiative, every unit it has ever been under (`everPath`,
 * `everUnitPath`, kept through moves and merges), so a history reads only the streams of what was
 * ever in the unit's subtree — a grassroots union's history costs its own few streams, a province's
 * its own share of the log, never the nation's. So that an auditor paging through a province's
 * hundreds of thousands of entries pays even that once, the journal is kept (a few, least recently
 * used first out): a first page is replayed afresh when the log has moved on, and the pages after it
 * are slices of the journal the first page came from while it has entries past the cursor.
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
