import { randomUUID } from 'node:crypto';
import { BACKWARDS, END, EventStoreDBClient } from '@eventstore/db-client';
import { EsdbEventStore, NewEvent } from '@app/event-store';
import { EsdbTestServer, startEsdbTestServer } from '../esdb-test-server';
import { describeEventStoreContract } from './event-store.contract';

describe('EventStoreDB adapter on the protocol test server', () => {
  let server: EsdbTestServer;
  beforeAll(async () => {
    // Frequent stats events put system events between (and after) every test's own events.
    server = await startEsdbTestServer({ statsPeriodMs: 5 });
  });
  afterAll(() => server.stop());
  describeEventStoreContract('EventStoreDB adapter on the protocol test server', async () => EsdbEventStore.connect(server.url));
});

describe('EventStoreDB adapter on the protocol test server imitating a server before 21.10', () => {
  // No ServerFeatures, hence Streams.Append instead of BatchAppend; no caughtUp messages, hence the
  // adapter's own caught-up detection.
  let server: EsdbTestServer;
  beforeAll(async () => {
    server = await startEsdbTestServer({ serverFeatures: false, caughtUp: false, statsPeriodMs: 5 });
  });
  afterAll(() => server.stop());
  describeEventStoreContract('EventStoreDB adapter on an older protocol test server', async () =>
    // A small read page makes readAll and headPosition cross page boundaries.
    EsdbEventStore.connect(server.url, { caughtUpProbeMs: 50, readPageSize: 7 }),
  );
});

const realServer = process.env.ESDB_URL;
if (realServer) {
  describeEventStoreContract('EventStoreDB (real server at ESDB_URL)', async () => EsdbEventStore.connect(realServer));
} else {
  // eslint-disable-next-line no-console
  console.warn(
    '>>> NOT RUN: the event store contract against a real EventStoreDB, because ESDB_URL is not set ' +
      '(e.g. ESDB_URL="esdb://localhost:2113?tls=false"). Only the protocol test server was used. <<<',
  );
}

describe('EventStoreDB adapter specifics, on the protocol test server', () => {
  let server: EsdbTestServer;
  let store: EsdbEventStore;
  let client: EventStoreDBClient;
  let run: string;
  beforeAll(async () => {
    server = await startEsdbTestServer({ statsPeriodMs: 2 });
    client = EventStoreDBClient.connectionString(server.url);
  });
  afterAll(async () => {
    await client.dispose();
    await server.stop();
  });
  beforeEach(() => {
    store = EsdbEventStore.connect(server.url);
    run = randomUUID().slice(0, 8);
  });
  afterEach(() => store.close());

  const event = (type: string, data: Record<string, unknown> = {}): NewEvent => ({
    id: randomUUID(),
    type,
    data,
    metadata: { actor: 'esdb-spec', recordedAt: '2022-05-31T20:00:00.000Z', correlationId: randomUUID(), schemaVersion: 1 },
  });

  it("reports as positions the $all commit positions, which equal the prepare positions, as the official client reads them", async () => {
    const stream = `positions-${run}`;
    const result = await store.append(stream, [event('P'), event('P')], 'no_stream');
    const ours = await store.readStream(stream);
    const theirs: bigint[] = [];
    for await (const resolved of client.readAll({ fromPosition: { commit: ours[0].position, prepare: ours[0].position }, maxCount: 64 })) {
      if (resolved.event?.streamId !== stream) continue;
      expect(resolved.event.position?.prepare).toBe(resolved.event.position?.commit);
      theirs.push(resolved.event.position!.commit);
    }
    expect(ours.map((e) => e.position)).toEqual(theirs);
    expect(result.position).toBe(theirs[1]);
  });

  it('matches event types with regex metacharacters exactly, in reads and subscriptions', async () => {
    const odd = `Odd.Type+1_${run}`;
    const decoy = `OddXTypee1_${run}`;
    const head = await store.headPosition();
    await store.append(`odd-${run}`, [event(decoy, { n: 0 }), event(odd, { n: 1 })], 'no_stream');
    expect((await store.readAll({ after: head, eventTypes: [odd] })).map((e) => e.data.n)).toEqual([1]);

    const seen: unknown[] = [];
    let caughtUp!: () => void;
    const done = new Promise<void>((resolve) => (caughtUp = resolve));
    const subscription = store.subscribeToAll({ after: head, eventTypes: [odd], onEvent: (e) => void seen.push(e.data.n), onCaughtUp: () => caughtUp() });
    await done;
    await subscription.stop();
    expect(seen).toEqual([1]);
  });

  it('finds the head behind trailing system events', async () => {
    const { position } = await store.append(`head-${run}`, [event('Head')], 'no_stream');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [last] = await collect(client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 }));
    expect(last.event!.type).toBe('$statsCollected');
    expect(await store.headPosition()).toBe(position);
  });

  it('reports a subscription that fails once, through onError', async () => {
    const own = await startEsdbTestServer({ statsPeriodMs: 0 });
    const failing = EsdbEventStore.connect(own.url);
    const errors: Error[] = [];
    let caughtUp!: () => void;
    const live = new Promise<void>((resolve) => (caughtUp = resolve));
    let failed!: () => void;
    const failure = new Promise<void>((resolve) => (failed = resolve));
    const subscription = failing.subscribeToAll({
      onEvent: () => undefined,
      onCaughtUp: () => caughtUp(),
      onError: (error) => {
        errors.push(error);
        failed();
      },
    });
    await live;
    await own.stop();
    await failure;
    await subscription.stop();
    await failing.close();
    expect(errors).toHaveLength(1);
  });
});

describe('EventStoreDB adapter on a server whose live buffer holds two events', () => {
  it('delivers everything once and in order when the subscription falls behind, and signals caught up again', async () => {
    const server = await startEsdbTestServer({ liveBufferSize: 2, statsPeriodMs: 0 });
    const store = EsdbEventStore.connect(server.url);
    try {
      const type = `Lagging_${randomUUID().slice(0, 8)}`;
      const seen: number[] = [];
      const reports: (bigint | undefined)[] = [];
      let reported: () => void = () => undefined;
      const nextReport = () => new Promise<void>((resolve) => (reported = resolve));
      const first = nextReport();
      const subscription = store.subscribeToAll({
        after: await store.headPosition(),
        eventTypes: [type],
        onEvent: async (e) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          seen.push(e.data.n as number);
        },
        onCaughtUp: (position) => {
          reports.push(position);
          if (seen.length === 0 || seen.length === 6) reported();
        },
      });
      await first;
      const again = nextReport();
      const events = [1, 2, 3, 4, 5, 6].map((n) => ({
        id: randomUUID(),
        type,
        data: { n },
        metadata: { actor: 'esdb-spec', recordedAt: '2022-05-31T20:00:00.000Z', correlationId: randomUUID(), schemaVersion: 1 },
      }));
      const { position } = await store.append(`lagging-${type}`, events, 'no_stream');
      await again;
      await subscription.stop();
      expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
      expect(reports[reports.length - 1]).toBe(position);
    } finally {
      await store.close();
      await server.stop();
    }
  });
});

describe('EventStoreDB adapter on a server without caughtUp messages', () => {
  it('learns that a sparse subscription caught up from the checkpoints of the filtered subscription', async () => {
    const server = await startEsdbTestServer({ caughtUp: false, statsPeriodMs: 2 });
    // Without the idle probe, only checkpoints can tell it that the tail holds nothing it wants.
    const store = EsdbEventStore.connect(server.url, { caughtUpProbeMs: 60_000 });
    try {
      const noise = (n: number) =>
        Array.from({ length: n }, () => ({
          id: randomUUID(),
          type: 'Noise',
          data: {},
          metadata: { actor: 'esdb-spec', recordedAt: '2022-05-31T20:00:00.000Z', correlationId: randomUUID(), schemaVersion: 1 },
        }));
      await store.append('noise-before', noise(50), 'no_stream');
      await store.append('wanted', [{ ...noise(1)[0], type: 'Wanted' }], 'no_stream');
      await store.append('noise-after', noise(50), 'no_stream');
      const seen: string[] = [];
      let caughtUp!: () => void;
      const done = new Promise<void>((resolve) => (caughtUp = resolve));
      const subscription = store.subscribeToAll({ eventTypes: ['Wanted'], onEvent: (e) => void seen.push(e.type), onCaughtUp: () => caughtUp() });
      await done;
      await subscription.stop();
      expect(seen).toEqual(['Wanted']);
    } finally {
      await store.close();
      await server.stop();
    }
  });
});

async function collect<T>(read: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of read) items.push(item);
  return items;
}
