/**
 * Streams.Read of $all (not a subscription). From a position, a forwards read includes the event at
 * that position and a backwards read starts just before it, as the server's TFChunk reads do (a
 * backwards read returns records that end at or before the position). System events are ordinary
 * events of $all here: only a filter removes them.
 */
import { filterSettings, matchEverything } from './event-filter';
import { EventLog } from './event-log';
import { streams } from './protocol';
import { readEventResponse, uuidFormOf } from './recorded-event';
import { ResponseWriter } from './response-writer';

export async function readAll(log: EventLog, options: streams.ReadReq.Options, out: ResponseWriter<streams.ReadResp>): Promise<void> {
  const allOptions = options.getAll()!;
  const backwards = options.getReadDirection() === streams.ReadReq.Options.ReadDirection.BACKWARDS;
  const matches = filterSettings(options)?.matches ?? matchEverything;
  let remaining = BigInt(options.getCount());
  const uuidForm = uuidFormOf(options);

  let index: number;
  if (allOptions.hasPosition()) {
    const at = log.firstIndexAtOrAfter(BigInt(allOptions.getPosition()!.getCommitPosition()));
    index = backwards ? at - 1 : at;
  } else if (allOptions.hasEnd()) {
    index = backwards ? log.length - 1 : log.length;
  } else {
    index = backwards ? -1 : 0;
  }

  // A filtered read returns up to `count` matching events, however many it has to skip.
  while (remaining > 0n && index >= 0 && index < log.length && !out.cancelled) {
    const record = log.at(index);
    index += backwards ? -1 : 1;
    if (!matches(record)) continue;
    remaining -= 1n;
    await out.write(readEventResponse(record, uuidForm));
  }
}
