/**
 * Streams.Read of one stream, forwards or backwards, from a revision, start or end, up to a count.
 * A stream without events is answered with a `stream_not_found` message (the client turns it into
 * StreamNotFoundError), not with an empty read.
 */
import { EventLog, LogRecord } from './event-log';
import { streamIdentifier, streamName, streams } from './protocol';
import { readEventResponse, uuidFormOf } from './recorded-event';
import { ResponseWriter } from './response-writer';

export async function readStream(log: EventLog, options: streams.ReadReq.Options, out: ResponseWriter<streams.ReadResp>): Promise<void> {
  const streamOptions = options.getStream()!;
  const name = streamName(streamOptions.getStreamIdentifier());
  const records = log.streamRecords(name);
  if (!records) {
    const notFound = new streams.ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(name));
    await out.write(new streams.ReadResp().setStreamNotFound(notFound));
    return;
  }

  const backwards = options.getReadDirection() === streams.ReadReq.Options.ReadDirection.BACKWARDS;
  const last = BigInt(records.length - 1);
  let from: bigint;
  if (streamOptions.hasRevision()) from = BigInt(streamOptions.getRevision());
  else if (streamOptions.hasEnd()) from = backwards ? last : last + 1n;
  else from = 0n;

  const selected: LogRecord[] = backwards
    ? records.slice(0, Number(from < last ? from : last) + 1).reverse()
    : records.slice(Number(from));
  const count = BigInt(options.getCount());
  const uuidForm = uuidFormOf(options);
  for (const record of selected.slice(0, count < BigInt(selected.length) ? Number(count) : selected.length)) {
    if (out.cancelled) return;
    await out.write(readEventResponse(record, uuidForm));
  }
}
