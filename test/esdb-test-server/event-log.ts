/**
 * The transaction log: every event in append order, with EventStoreDB's write rules (optimistic
 * concurrency and idempotent appends) ported from the server's IndexWriter.CheckCommit.
 *
 * Positions. EventStoreDB's $all position is a byte offset in the transaction file, so positions
 * grow by each record's size and are not contiguous. Every gRPC append is an implicit transaction,
 * for which the server reports commit position = prepare position = the event's own log position
 * (AllReader builds `CommitEventRecord(record, prepare.LogPosition)`). Only legacy TCP explicit
 * transactions give events a shared commit position; they cannot be written over gRPC, so this log
 * has none. An append's result carries the position of its last event (the chaser's CommitAck is
 * sent for the TransactionEnd prepare).
 */

/** EventStoreDB's expected-version sentinels (ExpectedVersion.cs); ≥ 0 is a revision. */
export const ExpectedVersion = { Any: -2n, NoStream: -1n, StreamExists: -4n } as const;
/** What the server calls the current version of a stream that has no events. */
const NO_STREAM = -1n;

export interface ProposedEvent {
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  metadata: Uint8Array;
}

export interface LogRecord extends ProposedEvent {
  streamId: string;
  revision: bigint;
  position: bigint;
  /** .NET ticks (100 ns) since the Unix epoch, as the server reports `created`. */
  created: bigint;
}

export type AppendOutcome =
  | { kind: 'success'; currentRevision: bigint | undefined; position: bigint | undefined }
  | { kind: 'wrong_expected_version'; currentRevision: bigint | undefined };

type CommitDecision =
  | { kind: 'ok' }
  | { kind: 'wrong_expected_version' }
  | { kind: 'idempotent'; lastRevision: bigint };

/** Rough size of a v2 prepare record's fixed part; only makes positions look like byte offsets. */
const RECORD_OVERHEAD = 94;

export class EventLog {
  private readonly records: LogRecord[] = [];
  private readonly streams = new Map<string, LogRecord[]>();
  /**
   * Where each event id was written. The real server keeps this in a bounded in-memory cache
   * (`_committedEvents`, ESConsts.CommitedEventsMemCacheLimit) that starts empty after a restart,
   * so its idempotency window for `any` / `stream_exists` appends is "recent events"; ours never
   * forgets. Appends with an expected revision also compare ids with the stream itself, so for
   * them the window is unbounded on the real server too.
   */
  private readonly committedEvents = new Map<string, { streamId: string; revision: bigint }>();
  private readonly listeners = new Set<() => void>();
  private nextPosition = 0n;

  get length(): number {
    return this.records.length;
  }

  at(index: number): LogRecord {
    return this.records[index];
  }

  streamRecords(streamId: string): readonly LogRecord[] | undefined {
    return this.streams.get(streamId);
  }

  /** Index of the first record whose position is ≥ `position` (the log length if none). */
  firstIndexAtOrAfter(position: bigint): number {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.records[middle].position < position) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** For tests that play someone with access to the server's storage: drops every record after `position`. */
  truncateAfter(position: bigint): void {
    for (const record of this.records.splice(this.firstIndexAtOrAfter(position + 1n))) {
      const stream = this.streams.get(record.streamId)!;
      stream.splice(stream.indexOf(record), 1);
      if (stream.length === 0) this.streams.delete(record.streamId);
      this.committedEvents.delete(record.id);
    }
  }

  /**
   * For tests that play someone with access to the server's storage: drops one event from its
   * stream and from the log (the others keep their revisions and positions, as a record cut out of
   * a chunk would). Returns its undo.
   */
  remove(streamId: string, revision: bigint): () => void {
    const stream = this.streams.get(streamId)!;
    const record = stream.find((r) => r.revision === revision)!;
    stream.splice(stream.indexOf(record), 1);
    this.records.splice(this.records.indexOf(record), 1);
    return () => {
      this.records.splice(this.firstIndexAtOrAfter(record.position), 0, record);
      stream.splice(stream.filter((r) => r.revision < revision).length, 0, record);
    };
  }

  /** Called after every append that wrote something; returns the unsubscribe function. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(streamId: string, expectedVersion: bigint, events: readonly ProposedEvent[]): AppendOutcome {
    const current = this.currentVersion(streamId);
    const decision = this.checkCommit(streamId, expectedVersion, events.map((e) => e.id), current);
    const revisionOrNone = (v: bigint) => (v === NO_STREAM ? undefined : v);
    switch (decision.kind) {
      case 'wrong_expected_version':
        return { kind: 'wrong_expected_version', currentRevision: revisionOrNone(current) };
      case 'idempotent':
        return {
          kind: 'success',
          currentRevision: decision.lastRevision,
          position: this.streams.get(streamId)![Number(decision.lastRevision)].position,
        };
      case 'ok':
        break;
    }
    // An empty append that passes the check writes nothing; the server then has no position to give.
    if (events.length === 0) return { kind: 'success', currentRevision: revisionOrNone(current), position: undefined };

    const stream = this.streams.get(streamId) ?? [];
    this.streams.set(streamId, stream);
    const created = BigInt(Date.now()) * 10_000n;
    let revision = current;
    for (const event of events) {
      revision += 1n;
      const record: LogRecord = { ...event, streamId, revision, position: this.nextPosition, created };
      this.nextPosition += BigInt(
        RECORD_OVERHEAD + Buffer.byteLength(streamId) + Buffer.byteLength(event.type) + event.data.length + event.metadata.length,
      );
      this.records.push(record);
      stream.push(record);
      this.committedEvents.set(event.id, { streamId, revision });
    }
    for (const listener of [...this.listeners]) listener();
    return { kind: 'success', currentRevision: revision, position: stream[stream.length - 1].position };
  }

  private currentVersion(streamId: string): bigint {
    const stream = this.streams.get(streamId);
    return stream ? BigInt(stream.length - 1) : NO_STREAM;
  }

  /** IndexWriter.CheckCommit, minus deleted and soft-deleted streams (this server cannot delete). */
  private checkCommit(streamId: string, expected: bigint, ids: readonly string[], current: bigint): CommitDecision {
    // A stream "exists" for stream_exists if it has events or at least metadata ($$stream).
    if (expected === ExpectedVersion.StreamExists && current < 0n && !this.streams.has(`$$${streamId}`)) {
      return { kind: 'wrong_expected_version' };
    }

    if (expected === ExpectedVersion.Any || expected === ExpectedVersion.StreamExists) {
      // Idempotent only if every id was already written to this stream; if the first id is new, it
      // is a new write; if only some are known, the server calls it corrupted idempotency and
      // answers wrong expected version.
      let last: bigint | undefined;
      for (const [i, id] of ids.entries()) {
        const seen = this.committedEvents.get(id);
        if (!seen || seen.streamId !== streamId) return i === 0 ? { kind: 'ok' } : { kind: 'wrong_expected_version' };
        last = seen.revision;
      }
      return last === undefined ? { kind: 'ok' } : { kind: 'idempotent', lastRevision: last };
    }

    if (expected < current) {
      // A writer that is behind: a success only if its events are exactly the ones already there.
      const stream = this.streams.get(streamId) ?? [];
      let revision = expected;
      for (const id of ids) {
        revision += 1n;
        const seen = this.committedEvents.get(id);
        if (seen && seen.streamId === streamId && seen.revision === revision) continue;
        if (stream[Number(revision)]?.id === id) continue;
        return { kind: 'wrong_expected_version' };
      }
      if (revision === expected) return { kind: 'wrong_expected_version' };
      return { kind: 'idempotent', lastRevision: revision };
    }

    if (expected > current) return { kind: 'wrong_expected_version' };
    return { kind: 'ok' };
  }
}
