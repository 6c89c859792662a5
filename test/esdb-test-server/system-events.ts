/**
 * The events a real server writes by itself. They are ordinary events of $all (stream and type
 * names starting with `$`), so a client sees them unless it filters them out:
 * - at start: the epoch record's `$epoch-information` in `$epochs`, and the `$metadata` that sets a
 *   max age on the node's stats stream;
 * - then periodically: `$statsCollected` in `$stats-<host>:<port>` (every 30 s by default on a
 *   real node; much more often here, so that system events land between a test's own events).
 */
import { randomUUID } from 'node:crypto';
import { EventLog, ExpectedVersion } from './event-log';

const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');
const empty = new Uint8Array();

export function writeStartupEvents(log: EventLog, node: string): void {
  log.append('$epochs', ExpectedVersion.Any, [
    {
      id: randomUUID(),
      type: '$epoch-information',
      contentType: 'application/json',
      data: json({ epochNumber: 0, epochPosition: 0, epochId: randomUUID(), leaderInstanceId: randomUUID() }),
      metadata: empty,
    },
  ]);
  log.append(`$$${statsStream(node)}`, ExpectedVersion.Any, [
    { id: randomUUID(), type: '$metadata', contentType: 'application/json', data: json({ $maxAge: 86400 }), metadata: empty },
  ]);
}

/** Writes a stats event every `periodMs`; returns the function that stops it. */
export function collectStats(log: EventLog, node: string, periodMs: number): () => void {
  if (periodMs <= 0) return () => undefined;
  const timer = setInterval(() => {
    log.append(statsStream(node), ExpectedVersion.Any, [
      {
        id: randomUUID(),
        type: '$statsCollected',
        contentType: 'application/json',
        data: json({ 'proc-startTime': new Date().toISOString(), 'proc-mem': process.memoryUsage().rss }),
        metadata: empty,
      },
    ]);
  }, periodMs);
  timer.unref();
  return () => clearInterval(timer);
}

function statsStream(node: string): string {
  return `$stats-${node}`;
}
