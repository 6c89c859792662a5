/**
 * Streams.Read as a subscription, to $all or to one stream: a confirmation, the catch-up from the
 * start position, a `caught_up` message, then live events as they are appended.
 *
 * Semantics follow the server's subscription enumerators (AllSubscription, AllSubscriptionFiltered,
 * StreamSubscription):
 * - the start is exclusive: from a $all position the server reads one event at that position and
 *   continues after it (so a position that is not an event's skips the next event; servers since
 *   early 2024, EventStore PR #4128, refuse such positions), from a stream revision it continues with the next revision;
 * - filtered $all subscriptions send a checkpoint each time `checkpointInterval` events (matching
 *   or not) have been considered, with the position of the last considered event, during catch-up
 *   and live alike, so that a consumer of a sparse filter can still save its progress;
 * - `caught_up` (servers from 23.10) is sent when the catch-up reaches the end of the log. A live
 *   subscription whose consumer lags more than the server's live buffer gets `fell_behind`, is
 *   caught up from the log again, and gets `caught_up` once more. How far behind is too far is
 *   `liveBufferSize` here (unbounded by default: this server can always wait for its consumer, see
 *   ResponseWriter); the real server's buffer is a bounded channel of its own size.
 */
import { filterSettings, FilterSettings } from './event-filter';
import { EventLog, LogRecord } from './event-log';
import { streamName, streams } from './protocol';
import { readEventResponse, uuidFormOf } from './recorded-event';
import { ResponseWriter } from './response-writer';

export interface SubscriptionFeatures {
  /** Send `caught_up` and `fell_behind` (EventStoreDB 23.10 and later). */
  caughtUp: boolean;
  /** Live events a consumer may lag behind before the subscription falls behind. */
  liveBufferSize: number;
}

/** The records a subscription walks, in order; a live view that grows with the log. */
interface Source {
  size(): number;
  at(index: number): LogRecord;
  startIndex: number;
}

let subscriptionCount = 0;

export async function subscribe(
  log: EventLog,
  options: streams.ReadReq.Options,
  out: ResponseWriter<streams.ReadResp>,
  features: SubscriptionFeatures,
): Promise<void> {
  const source = options.hasAll() ? allSource(log, options.getAll()!) : streamSource(log, options.getStream()!);
  const filter: FilterSettings | undefined = options.hasAll() ? filterSettings(options) : undefined;
  if (!options.hasAll() && options.hasFilter()) throw new Error('filters apply to $all subscriptions only');
  const uuidForm = uuidFormOf(options);

  const confirmation = new streams.ReadResp.SubscriptionConfirmation().setSubscriptionId(`esdb-test-server-${++subscriptionCount}`);
  await out.write(new streams.ReadResp().setConfirmation(confirmation));

  let appended: () => void = () => undefined;
  const unlisten = log.onAppend(() => appended());
  try {
    let index = source.startIndex;
    let considered = 0;
    let live = false;
    while (!out.cancelled) {
      while (index < source.size() && !out.cancelled) {
        if (live && features.caughtUp && source.size() - index > features.liveBufferSize) {
          live = false;
          await out.write(new streams.ReadResp().setFellBehind(new streams.ReadResp.FellBehind()));
        }
        const record = source.at(index);
        index += 1;
        if (!filter || filter.matches(record)) await out.write(readEventResponse(record, uuidForm));
        if (filter && ++considered >= filter.checkpointInterval) {
          considered = 0;
          const checkpoint = new streams.ReadResp.Checkpoint()
            .setCommitPosition(record.position.toString())
            .setPreparePosition(record.position.toString());
          await out.write(new streams.ReadResp().setCheckpoint(checkpoint));
        }
      }
      if (!live && features.caughtUp) await out.write(new streams.ReadResp().setCaughtUp(new streams.ReadResp.CaughtUp()));
      live = true;
      if (index >= source.size()) {
        await Promise.race([new Promise<void>((resolve) => (appended = resolve)), out.whenCancelled()]);
      }
    }
  } finally {
    unlisten();
  }
}

function allSource(log: EventLog, all: streams.ReadReq.Options.AllOptions): Source {
  let startIndex = 0;
  if (all.hasEnd()) startIndex = log.length;
  else if (all.hasPosition()) {
    startIndex = Math.min(log.firstIndexAtOrAfter(BigInt(all.getPosition()!.getCommitPosition())) + 1, log.length);
  }
  return { size: () => log.length, at: (i) => log.at(i), startIndex };
}

function streamSource(log: EventLog, stream: streams.ReadReq.Options.StreamOptions): Source {
  const name = streamName(stream.getStreamIdentifier());
  const records = () => log.streamRecords(name) ?? [];
  let startIndex = 0;
  if (stream.hasEnd()) startIndex = records().length;
  else if (stream.hasRevision()) startIndex = Number(stream.getRevision()) + 1;
  return { size: () => records().length, at: (i) => records()[i], startIndex };
}
