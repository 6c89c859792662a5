import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@app/event-store';
import { HistoryEntry, HistoryRequest, unitHistory } from '@app/read-models';

const CACHE_SIZE = 16;

/**
 * Unit histories are replayed from the whole event store (the source of truth, and the only way to
 * follow a unit through moves and merges of its subtree), which costs one pass over the log. So that
 * an auditor paging through a province's hundreds of thousands of entries pays that pass once, the
 * journal is kept (a few, least recently used first out) while the log's head has not moved;
 * every page after the first is a slice of it.
 */
@Injectable()
export class HistoryService {
  private readonly cache = new Map<string, { head: bigint; entries: HistoryEntry[] }>();

  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async journal(request: HistoryRequest, rulesVersion: number): Promise<HistoryEntry[]> {
    const key = JSON.stringify([request.programId, request.unitId, request.phaseId, request.subtree, rulesVersion]);
    const head = await this.events.headPosition();
    const cached = this.cache.get(key);
    this.cache.delete(key);
    if (cached && cached.head === head) {
      this.cache.set(key, cached);
      return cached.entries;
    }
    const { entries } = await unitHistory(this.events, request);
    this.cache.set(key, { head, entries });
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return entries;
  }
}
