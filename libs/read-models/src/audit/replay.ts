import { DOMAIN_EVENT_TYPES, ProgramRules } from '@app/domain';
import { EventStore, StoredEvent } from '@app/event-store';
import { giveBackNode } from '../projection/initiative-node';
import { ReadModelProjections, ProjectionLimits } from '../projection/read-model-projections';

export interface ReplayOptions {
  /** Replay events up to this position, inclusive (default: the head). */
  upTo?: bigint;
  /** Replay only events recorded at or before this instant (metadata.recordedAt). */
  recordedUpTo?: string;
  /** The rules to count under (default: each programme's rules at launch, as a live projection does). */
  rules?: ReadonlyMap<string, ProgramRules>;
  /** Drops events before they reach the projection (e.g. those not yet effective on a business date). */
  include?: (event: StoredEvent) => boolean;
  /** Called after each event reaches the projection. */
  onApplied?: (event: StoredEvent, projection: ReadModelProjections) => void;
  /** Let go of descriptive text after each page (see ReadModelProjections.forgetDescriptions): bounded memory for whole-log replays. */
  forgetDescriptions?: boolean;
  /**
   * Initiative nodes the replay may hold (see ProjectionLimits): one let go is folded again from its
   * stream before its next event. Whoever lets them go does so in `onPage`.
   */
  initiativesInMemory?: number;
  /** Called after each page of a whole-log replay, before the next is read (instead of `forgetDescriptions`). */
  onPage?: (projection: ReadModelProjections) => Promise<void>;
  /** Called after each page with the number of events read so far. */
  onProgress?: (eventsRead: number) => void;
  pageSize?: number;
  /** Keep the history journal's lines too (see ProjectionLimits.journal): `projection.takeJournal()` hands them over. */
  journal?: ProjectionLimits['journal'];
  /**
   * Replay only these streams (read one by one, merged in log order) instead of the whole log: enough
   * when they are all the streams that concern the figures asked for.
   */
  streams?: readonly string[];
  /**
   * Carry on this projection (restored from the state saved beside the read models, which holds no
   * initiative nodes: each is folded from its stream before its next event) from its position
   * instead of replaying from the start: only the log after it is read (with `streams`, those
   * streams are read whole and their events up to its position skipped).
   */
  from?: ReadModelProjections;
}

const STREAM_READS_AT_ONCE = 16;
const STREAMS_PER_PART = 5000;

/**
 * Recomputes the read models from the event store, the source of truth, in a fresh projection:
 * what auditors' answers (verification, "as of", history) are made of, never the stored read models.
 */
export async function replayLog(events: EventStore, options: ReplayOptions = {}): Promise<ReadModelProjections> {
  const projection = options.from ?? new ReadModelProjections(options.rules, { journal: options.journal, initiativesInMemory: options.initiativesInMemory });
  const recordedLimit = options.recordedUpTo === undefined ? undefined : Date.parse(options.recordedUpTo);
  const apply = async (page: readonly StoredEvent[]): Promise<boolean> => {
    for (const event of page) {
      if (options.upTo !== undefined && event.position > options.upTo) return false;
      if (recordedLimit !== undefined && Date.parse(event.metadata.recordedAt) > recordedLimit) continue;
      if (options.include && !options.include(event)) continue;
      // Only a bounded replay lets nodes go, and a saved state holds none; an unbounded fresh one lacking a node skipped its submission on purpose.
      if (options.initiativesInMemory !== undefined || options.from) await giveBackNode(events, projection, event);
      projection.apply(event);
      options.onApplied?.(event, projection);
    }
    return true;
  };
  if (options.streams) {
    const selected = await readStreamsInLogOrder(events, options.streams, options.onProgress);
    // EventStoreDB before 22.6 gives no log position on stream reads: their order then comes from the log itself.
    if (selected.every((event) => event.position >= 0n)) {
      await apply(selected);
      return projection;
    }
  }
  const pageSize = options.pageSize ?? 2000;
  let after = projection.position;
  let read = 0;
  for (;;) {
    const page = await events.readAll({ after, maxCount: pageSize, eventTypes: DOMAIN_EVENT_TYPES });
    const more = await apply(page);
    if (options.onPage) await options.onPage(projection);
    else if (options.forgetDescriptions) projection.forgetDescriptions();
    if (!more) return projection;
    after = page[page.length - 1]?.position ?? after;
    read += page.length;
    options.onProgress?.(read);
    if (page.length < pageSize) return projection;
    // Let the process serve other requests between pages (a synchronous store never yields by itself).
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function readStreamsInLogOrder(events: EventStore, streams: readonly string[], onProgress?: (eventsRead: number) => void): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  if (events.readStreams) {
    const unique = [...new Set(streams)];
    // In parts, so that the progress moves while a province's streams are read.
    for (let i = 0; i < unique.length; i += STREAMS_PER_PART) {
      all.push(...(await events.readStreams(unique.slice(i, i + STREAMS_PER_PART))));
      onProgress?.(all.length);
    }
    // Each part comes in log order: only parts need merging.
    return unique.length > STREAMS_PER_PART ? all.sort(inLogOrder) : all;
  }
  let next = 0;
  const worker = async () => {
    while (next < streams.length) {
      all.push(...(await events.readStream(streams[next++])));
      onProgress?.(all.length);
    }
  };
  await Promise.all(Array.from({ length: STREAM_READS_AT_ONCE }, worker));
  return all.sort(inLogOrder);
}

const inLogOrder = (a: StoredEvent, b: StoredEvent) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0);
