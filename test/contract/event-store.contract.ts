import { randomUUID } from 'node:crypto';
import { EventStore, NewEvent, StoredEvent, WrongExpectedRevisionError } from '@app/event-store';

/**
 * The behaviour every event store adapter must have. Written so that it can run against a shared,
 * long-lived server (a real EventStoreDB): every test uses its own streams and event types and
 * never assumes the log is empty.
 */
export function describeEventStoreContract(name: string, open: () => Promise<EventStore>): void {
  describe(`event store contract: ${name}`, () => {
    let store: EventStore;
    let run: string;

    beforeEach(async () => {
      store = await open();
      run = randomUUID().slice(0, 8);
    });
    afterEach(async () => {
      await store.close();
    });

    const stream = (label: string) => `contract_${label}-${run}`;
    const type = (label: string) => `Contract${label}_${run}`;
    const event = (label: string, data: Record<string, unknown> = {}): NewEvent => ({
      id: randomUUID(),
      type: type(label),
      data,
      metadata: {
        actor: 'contract-suite',
        recordedAt: '2022-05-31T20:00:00.000Z',
        correlationId: randomUUID(),
        schemaVersion: 1,
      },
    });

    it('appends to a new stream and reads the events back in order, data and metadata intact', async () => {
      const s = stream('a');
      const first = event('A', { title: 'Sáng kiến cải tiến quy trình', benefitValue: '12000000000000' });
      const second = event('B', { n: 2 });
      const result = await store.append(s, [first, second], 'no_stream');
      expect(result.nextExpectedRevision).toBe(1n);

      const read = await store.readStream(s);
      expect(read.map((e) => [e.id, e.type, e.revision])).toEqual([
        [first.id, first.type, 0n],
        [second.id, second.type, 1n],
      ]);
      expect(read[0].data).toEqual(first.data);
      expect(read[0].metadata).toMatchObject(first.metadata);
      expect(read[0].streamId).toBe(s);
      expect(read[1].position).toBe(result.position);
      expect(read[1].position > read[0].position).toBe(true);
    });

    it('reads a stream that does not exist as empty', async () => {
      expect(await store.readStream(stream('missing'))).toEqual([]);
    });

    it('reads a stream backwards, from a revision, and up to a count', async () => {
      const s = stream('r');
      await store.append(s, [event('A', { i: 0 }), event('A', { i: 1 }), event('A', { i: 2 }), event('A', { i: 3 })], 'no_stream');
      const indexes = (events: StoredEvent[]) => events.map((e) => e.data.i);
      expect(indexes(await store.readStream(s, { fromRevision: 1n, maxCount: 2 }))).toEqual([1, 2]);
      expect(indexes(await store.readStream(s, { direction: 'backwards', maxCount: 2 }))).toEqual([3, 2]);
      expect(indexes(await store.readStream(s, { direction: 'backwards', fromRevision: 1n }))).toEqual([1, 0]);
    });

    describe('optimistic concurrency', () => {
      it('refuses no_stream on an existing stream, with the actual revision', async () => {
        const s = stream('c');
        await store.append(s, [event('A'), event('A')], 'no_stream');
        const error = await store.append(s, [event('A')], 'no_stream').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect((error as WrongExpectedRevisionError).actual).toBe(1n);
        expect(await store.readStream(s)).toHaveLength(2);
      });

      it('refuses a stale revision and accepts the current one', async () => {
        const s = stream('c');
        await store.append(s, [event('A')], 'no_stream');
        await store.append(s, [event('A')], 0n);
        await expect(store.append(s, [event('A')], 0n)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        const result = await store.append(s, [event('A')], 1n);
        expect(result.nextExpectedRevision).toBe(2n);
      });

      it('refuses a revision on a stream that does not exist, and stream_exists likewise', async () => {
        const s = stream('c');
        const error = await store.append(s, [event('A')], 0n).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect((error as WrongExpectedRevisionError).actual).toBe('no_stream');
        await expect(store.append(s, [event('A')], 'stream_exists')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(s)).toEqual([]);
      });

      it('accepts stream_exists and any on an existing stream, and any on a new one', async () => {
        const s = stream('c');
        await store.append(s, [event('A')], 'any');
        await store.append(s, [event('A')], 'stream_exists');
        await store.append(s, [event('A')], 'any');
        expect((await store.readStream(s)).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
      });

      it('lets exactly one of two racing writers win', async () => {
        const s = stream('race');
        await store.append(s, [event('A')], 'no_stream');
        const outcomes = await Promise.allSettled([
          store.append(s, [event('B')], 0n),
          store.append(s, [event('C')], 0n),
        ]);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
        expect(rejected.reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(s)).toHaveLength(2);
      });
    });

    describe('idempotent appends', () => {
      it('answers a repeated append (same ids, same expected revision) like the first and writes nothing', async () => {
        const s = stream('idem');
        await store.append(s, [event('A')], 'no_stream');
        const batch = [event('B'), event('C')];
        const first = await store.append(s, batch, 0n);
        const again = await store.append(s, batch, 0n);
        expect(again).toEqual(first);
        expect(await store.readStream(s)).toHaveLength(3);
      });

      it('answers a repeated first append with no_stream like the first', async () => {
        const s = stream('idem');
        const batch = [event('A'), event('B')];
        const first = await store.append(s, batch, 'no_stream');
        const again = await store.append(s, batch, 'no_stream');
        expect(again).toEqual(first);
        expect(await store.readStream(s)).toHaveLength(2);
      });

      it('refuses a repeat that matches the stream only in part, writing nothing', async () => {
        const s = stream('idem');
        const first = event('A');
        await store.append(s, [first], 'no_stream');
        const error = await store.append(s, [first, event('B')], 'no_stream').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect((error as WrongExpectedRevisionError).actual).toBe(0n);
        expect(await store.readStream(s)).toHaveLength(1);
      });

      it('answers a repeated append with expected revision any like the first', async () => {
        const s = stream('idem');
        const batch = [event('A')];
        const first = await store.append(s, batch, 'any');
        const again = await store.append(s, batch, 'any');
        expect(again).toEqual(first);
        expect(await store.readStream(s)).toHaveLength(1);
      });
    });

    describe('the whole log', () => {
      it('reads events of every stream in position order, after a position, filtered by type', async () => {
        const head = await store.headPosition();
        const x = stream('x');
        const y = stream('y');
        await store.append(x, [event('Counted', { n: 1 })], 'no_stream');
        await store.append(y, [event('Ignored', { n: 2 }), event('Counted', { n: 3 })], 'no_stream');
        await store.append(x, [event('Counted', { n: 4 })], 0n);

        const all = await store.readAll({ after: head, eventTypes: [type('Counted'), type('Ignored')] });
        expect(all.map((e) => e.data.n)).toEqual([1, 2, 3, 4]);
        const positions = all.map((e) => e.position);
        expect([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(positions);
        expect(new Set(positions).size).toBe(4);

        const counted = await store.readAll({ after: head, eventTypes: [type('Counted')] });
        expect(counted.map((e) => e.data.n)).toEqual([1, 3, 4]);

        const afterSecond = await store.readAll({ after: all[1].position, eventTypes: [type('Counted')], maxCount: 1 });
        expect(afterSecond.map((e) => e.data.n)).toEqual([3]);
        expect(await store.headPosition()).toBeGreaterThanOrEqual(all[3].position);
      });

      it('selects nothing with an empty list of event types', async () => {
        const head = await store.headPosition();
        await store.append(stream('none'), [event('Listed')], 'no_stream');
        expect(await store.readAll({ after: head, eventTypes: [] })).toEqual([]);
      });

      it('never returns system events', async () => {
        const head = await store.headPosition();
        await store.append(stream('sys'), [event('Visible')], 'no_stream');
        const all = await store.readAll({ after: head });
        expect(all.every((e) => !e.type.startsWith('$'))).toBe(true);
        expect(all.some((e) => e.type === type('Visible'))).toBe(true);
      });
    });

    describe('catch-up subscription to the whole log', () => {
      it('delivers past events, signals caught up, then delivers new events live, in order', async () => {
        const head = await store.headPosition();
        const s = stream('sub');
        await store.append(s, [event('Seen', { n: 1 }), event('Seen', { n: 2 })], 'no_stream');

        const seen: number[] = [];
        let caughtUp!: () => void;
        const caughtUpOnce = new Promise<void>((resolve) => (caughtUp = resolve));
        let gotFour!: () => void;
        const four = new Promise<void>((resolve) => (gotFour = resolve));
        const subscription = store.subscribeToAll({
          after: head,
          eventTypes: [type('Seen')],
          onEvent: (e) => {
            seen.push(e.data.n as number);
            if (seen.length === 4) gotFour();
          },
          onCaughtUp: () => caughtUp(),
        });
        try {
          await caughtUpOnce;
          expect(seen).toEqual([1, 2]);
          await store.append(s, [event('Seen', { n: 3 })], 1n);
          await store.append(stream('other'), [event('Unseen', { n: 99 }), event('Seen', { n: 4 })], 'no_stream');
          await four;
          expect(seen).toEqual([1, 2, 3, 4]);
        } finally {
          await subscription.stop();
        }
      });

      it('waits for each onEvent to finish before the next event, and signals caught up only after them', async () => {
        const head = await store.headPosition();
        await store.append(stream('slow'), [event('Slow', { n: 1 }), event('Slow', { n: 2 }), event('Slow', { n: 3 })], 'no_stream');
        const seen: number[] = [];
        let running = 0;
        let overlapped = false;
        let caughtUpAfter: number | undefined;
        let caughtUp!: () => void;
        const done = new Promise<void>((resolve) => (caughtUp = resolve));
        const subscription = store.subscribeToAll({
          after: head,
          eventTypes: [type('Slow')],
          onEvent: async (e) => {
            running += 1;
            if (running > 1) overlapped = true;
            await new Promise((resolve) => setTimeout(resolve, 20));
            seen.push(e.data.n as number);
            running -= 1;
          },
          onCaughtUp: () => {
            caughtUpAfter ??= seen.length;
            caughtUp();
          },
        });
        try {
          await done;
        } finally {
          await subscription.stop();
        }
        expect(overlapped).toBe(false);
        expect(seen).toEqual([1, 2, 3]);
        expect(caughtUpAfter).toBe(3);
      });

      it('signals caught up at the start position, then again after new deliveries with the last position', async () => {
        const head = await store.headPosition();
        const reports: (bigint | undefined)[] = [];
        let reported: () => void = () => undefined;
        const nextReport = () => new Promise<void>((resolve) => (reported = resolve));
        const first = nextReport();
        const subscription = store.subscribeToAll({
          after: head,
          eventTypes: [type('Again')],
          onEvent: () => undefined,
          onCaughtUp: (position) => {
            reports.push(position);
            reported();
          },
        });
        try {
          await first;
          expect(reports).toEqual([head === 0n ? undefined : head]);
          const second = nextReport();
          const { position } = await store.append(stream('again'), [event('Again')], 'no_stream');
          await second;
          expect(reports[reports.length - 1]).toBe(position);
        } finally {
          await subscription.stop();
        }
      });

      it('delivers events of every type when no types are given, but never system events', async () => {
        const head = await store.headPosition();
        const mine = event('Untyped');
        const delivered: StoredEvent[] = [];
        let arrived!: () => void;
        const mineArrived = new Promise<void>((resolve) => (arrived = resolve));
        const subscription = store.subscribeToAll({
          after: head,
          onEvent: (e) => {
            delivered.push(e);
            if (e.id === mine.id) arrived();
          },
        });
        try {
          await store.append(stream('untyped'), [mine], 'no_stream');
          await mineArrived;
        } finally {
          await subscription.stop();
        }
        expect(delivered.every((e) => !e.type.startsWith('$') && !e.streamId.startsWith('$'))).toBe(true);
      });

      it('starts strictly after the given position', async () => {
        const s = stream('sub');
        await store.append(s, [event('Start', { n: 1 }), event('Start', { n: 2 })], 'no_stream');
        const [first] = await store.readStream(s);
        const seen: number[] = [];
        let caughtUp!: () => void;
        const done = new Promise<void>((resolve) => (caughtUp = resolve));
        const subscription = store.subscribeToAll({
          after: first.position,
          eventTypes: [type('Start')],
          onEvent: (e) => void seen.push(e.data.n as number),
          onCaughtUp: () => caughtUp(),
        });
        await done;
        await subscription.stop();
        expect(seen).toEqual([2]);
      });
    });
  });
}
