/**
 * The protocol test server, driven through the official client only (never through our adapter):
 * each expectation is what EventStoreDB does and the client makes of it.
 */
import { randomUUID } from 'node:crypto';
import { credentials } from '@grpc/grpc-js';
import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  eventTypeFilter,
  jsonEvent,
  NO_STREAM,
  Position,
  ResolvedEvent,
  START,
  STREAM_EXISTS,
  streamNameFilter,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { ServerFeaturesClient } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { EsdbTestServer, EsdbTestServerOptions, startEsdbTestServer } from './index';
import { shared, streams } from './protocol';

const newEvent = (type: string, data: Record<string, unknown> = {}) => jsonEvent({ id: randomUUID(), type, data });

async function collect<T>(read: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of read) items.push(item);
  return items;
}

function withServer(options: EsdbTestServerOptions, body: (context: { server: () => EsdbTestServer; client: () => EventStoreDBClient }) => void) {
  let server: EsdbTestServer;
  let client: EventStoreDBClient;
  beforeAll(async () => {
    server = await startEsdbTestServer(options);
    client = EventStoreDBClient.connectionString(server.url);
  });
  afterAll(async () => {
    await client.dispose();
    await server.stop();
  });
  body({ server: () => server, client: () => client });
}

describe.each([
  ['with ServerFeatures, so the client appends with BatchAppend', {}],
  ['without ServerFeatures, so the client appends with Append', { serverFeatures: false }],
])('appending, on a server %s', (_name, options: EsdbTestServerOptions) => {
  withServer(options, ({ client }) => {
    let stream: string;
    beforeEach(() => {
      stream = `append-${randomUUID()}`;
    });

    it('refuses a second no_stream append with the client’s WrongExpectedVersionError', async () => {
      await client().appendToStream(stream, newEvent('A'), { expectedRevision: NO_STREAM });
      const error = await client()
        .appendToStream(stream, newEvent('A'), { expectedRevision: NO_STREAM })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamName: stream, expectedVersion: 'no_stream', actualVersion: 0n });
    });

    it('refuses a revision or stream_exists on a stream that does not exist, reporting no_stream', async () => {
      const byRevision = await client()
        .appendToStream(stream, newEvent('A'), { expectedRevision: 5n })
        .catch((e: unknown) => e);
      expect(byRevision).toMatchObject({ expectedVersion: 5n, actualVersion: 'no_stream' });
      const byExistence = await client()
        .appendToStream(stream, newEvent('A'), { expectedRevision: STREAM_EXISTS })
        .catch((e: unknown) => e);
      expect(byExistence).toBeInstanceOf(WrongExpectedVersionError);
      expect(byExistence).toMatchObject({ expectedVersion: 'stream_exists', actualVersion: 'no_stream' });
      await expect(collect(client().readStream(stream))).rejects.toBeInstanceOf(StreamNotFoundError);
    });

    it('answers a repeat of the same event ids (no_stream, a past revision, or any) like the first, writing nothing', async () => {
      const first = [newEvent('A'), newEvent('B')];
      const firstResult = await client().appendToStream(stream, first, { expectedRevision: NO_STREAM });
      expect(firstResult).toMatchObject({ success: true, nextExpectedRevision: 1n });
      expect(firstResult.position!.commit).toBe(firstResult.position!.prepare);
      expect(await client().appendToStream(stream, first, { expectedRevision: NO_STREAM })).toEqual(firstResult);

      const second = [newEvent('C')];
      const secondResult = await client().appendToStream(stream, second, { expectedRevision: 1n });
      expect(await client().appendToStream(stream, first, { expectedRevision: NO_STREAM })).toEqual(firstResult);
      expect(await client().appendToStream(stream, second, { expectedRevision: ANY })).toEqual(secondResult);
      expect(await client().appendToStream(stream, second, { expectedRevision: 1n })).toEqual(secondResult);
      expect(await collect(client().readStream(stream))).toHaveLength(3);
    });

    it('refuses a repeat whose ids match the stream only in part (corrupted idempotency)', async () => {
      const a = newEvent('A');
      await client().appendToStream(stream, [a], { expectedRevision: NO_STREAM });
      await expect(client().appendToStream(stream, [a, newEvent('B')], { expectedRevision: NO_STREAM })).rejects.toMatchObject({
        actualVersion: 0n,
      });
      await expect(client().appendToStream(stream, [a, newEvent('B')], { expectedRevision: ANY })).rejects.toBeInstanceOf(
        WrongExpectedVersionError,
      );
      expect(await collect(client().readStream(stream))).toHaveLength(1);
    });

    it('writes known event ids again where the expected revision says the writer is up to date, or in another stream', async () => {
      // EventStoreDB deduplicates writers that are behind the stream (and `any` writers it remembers);
      // a writer whose expected revision is the current one is writing new events, whatever their ids.
      const a = newEvent('A');
      await client().appendToStream(stream, [a], { expectedRevision: NO_STREAM });
      await client().appendToStream(stream, [a], { expectedRevision: 0n });
      await client().appendToStream(`${stream}-other`, [a], { expectedRevision: NO_STREAM });
      expect((await collect(client().readStream(stream))).map((e) => [e.event!.id, e.event!.revision])).toEqual([
        [a.id, 0n],
        [a.id, 1n],
      ]);
      expect(await collect(client().readStream(`${stream}-other`))).toHaveLength(1);
    });
  });
});

describe('reading', () => {
  withServer({ statsPeriodMs: 0 }, ({ server, client }) => {
    it('signals a stream that does not exist with the client’s StreamNotFoundError', async () => {
      await expect(collect(client().readStream(`missing-${randomUUID()}`))).rejects.toBeInstanceOf(StreamNotFoundError);
    });

    it('reads a stream forwards or backwards, from a revision or an end, up to a count, with $all positions', async () => {
      const stream = `read-${randomUUID()}`;
      const appended = await client().appendToStream(stream, [0, 1, 2, 3].map((i) => newEvent('R', { i })), { expectedRevision: NO_STREAM });
      const indexes = (events: ResolvedEvent[]) => events.map((e) => (e.event!.data as { i: number }).i);
      expect(indexes(await collect(client().readStream(stream)))).toEqual([0, 1, 2, 3]);
      expect(indexes(await collect(client().readStream(stream, { fromRevision: 1n, maxCount: 2 })))).toEqual([1, 2]);
      expect(indexes(await collect(client().readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 3 })))).toEqual([3, 2, 1]);
      expect(indexes(await collect(client().readStream(stream, { direction: BACKWARDS, fromRevision: 1n })))).toEqual([1, 0]);
      expect(indexes(await collect(client().readStream(stream, { fromRevision: 9n })))).toEqual([]);
      const [last] = await collect(client().readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }));
      expect(last.event!.position).toEqual(appended.position);
    });

    it('shows system events in $all (nothing is excluded unless a filter says so), at increasing positions with gaps', async () => {
      await client().appendToStream(`all-${randomUUID()}`, newEvent('Mine'), { expectedRevision: NO_STREAM });
      const all = await collect(client().readAll({ fromPosition: START }));
      const types = all.map((e) => e.event!.type);
      expect(types.slice(0, 2)).toEqual(['$epoch-information', '$metadata']);
      expect(types).toContain('Mine');
      const positions = all.map((e) => e.event!.position!);
      for (let i = 1; i < positions.length; i++) expect(positions[i].commit - positions[i - 1].commit > 1n).toBe(true);
      expect(positions.every((p) => p.commit === p.prepare)).toBe(true);
    });

    it('filters a bounded $all read on the server, counting only matching events (raw protocol: the client cannot ask)', async () => {
      const prefix = `Raw${randomUUID().slice(0, 8)}`;
      await client().appendToStream(`raw-${randomUUID()}`, [newEvent(`${prefix}1`), newEvent('Other'), newEvent(`${prefix}2`), newEvent(`${prefix}3`)], {
        expectedRevision: NO_STREAM,
      });
      const expression = new streams.ReadReq.Options.FilterOptions.Expression().setPrefixList([prefix]);
      const options = new streams.ReadReq.Options()
        .setAll(new streams.ReadReq.Options.AllOptions().setStart(new shared.Empty()))
        .setReadDirection(streams.ReadReq.Options.ReadDirection.FORWARDS)
        .setCount('2')
        .setUuidOption(new streams.ReadReq.Options.UUIDOption().setString(new shared.Empty()))
        .setFilter(new streams.ReadReq.Options.FilterOptions().setEventType(expression).setCount(new shared.Empty()).setCheckpointintervalmultiplier(1));
      const raw = new StreamsClient(address(server().url), credentials.createInsecure());
      try {
        const responses = await collect<streams.ReadResp>(raw.read(new streams.ReadReq().setOptions(options)));
        expect(responses.map((r) => r.getEvent()!.getEvent()!.getMetadataMap().get('type'))).toEqual([`${prefix}1`, `${prefix}2`]);
      } finally {
        raw.close();
      }
    });

    it('reads $all forwards from a position including that event, and backwards from it excluding it', async () => {
      const stream = `around-${randomUUID()}`;
      await client().appendToStream(stream, [newEvent('X', { n: 1 }), newEvent('X', { n: 2 }), newEvent('X', { n: 3 })], {
        expectedRevision: NO_STREAM,
      });
      const [, middle] = await collect(client().readStream(stream));
      const at = middle.event!.position!;
      const forwards = await collect(client().readAll({ fromPosition: at, maxCount: 2 }));
      expect(forwards.map((e) => (e.event!.data as { n: number }).n)).toEqual([2, 3]);
      const backwards = await collect(client().readAll({ fromPosition: at, direction: BACKWARDS, maxCount: 1 }));
      expect((backwards[0].event!.data as { n: number }).n).toBe(1);
    });
  });
});

describe('subscribing', () => {
  withServer({ statsPeriodMs: 0 }, ({ client }) => {
    it('runs a filtered $all subscription: confirmation, matching events, checkpoints, caughtUp, then live events', async () => {
      const prefix = `Sub${randomUUID().slice(0, 8)}`;
      await client().appendToStream(`sub-${randomUUID()}`, [newEvent(`${prefix}A`, { n: 1 }), newEvent('Other'), newEvent(`${prefix}B`, { n: 2 })], {
        expectedRevision: NO_STREAM,
      });
      const checkpoints: Position[] = [];
      const log: string[] = [];
      const subscription = client().subscribeToAll({
        fromPosition: START,
        filter: eventTypeFilter({ prefixes: [prefix], maxSearchWindow: 1, checkpointInterval: 2, checkpointReached: (_s, p) => void checkpoints.push(p) }),
      });
      const caughtUp = new Promise<void>((resolve) => subscription.once('caughtUp', () => resolve()));
      const confirmed = new Promise<void>((resolve) => subscription.once('confirmation', () => resolve()));
      let live!: () => void;
      const liveSeen = new Promise<void>((resolve) => (live = resolve));
      subscription.on('caughtUp', () => log.push('caughtUp'));
      subscription.on('data', (e: ResolvedEvent) => {
        log.push(e.event!.type);
        if (e.event!.type === `${prefix}Live`) live();
      });
      await confirmed;
      await caughtUp;
      await client().appendToStream(`sub-${randomUUID()}`, newEvent(`${prefix}Live`), { expectedRevision: NO_STREAM });
      await liveSeen;
      await subscription.unsubscribe();
      expect(log).toEqual([`${prefix}A`, `${prefix}B`, 'caughtUp', `${prefix}Live`]);
      // Every second considered event, matching or not: the two startup events and our three.
      expect(checkpoints.length).toBeGreaterThanOrEqual(2);
      expect(checkpoints.every((p, i) => i === 0 || p.commit > checkpoints[i - 1].commit)).toBe(true);
    });

    it('starts a $all subscription strictly after the given position, and shows system events when unfiltered', async () => {
      const stream = `after-${randomUUID()}`;
      await client().appendToStream(stream, [newEvent('First'), newEvent('Second')], { expectedRevision: NO_STREAM });
      const [first] = await collect(client().readStream(stream));
      const fromFirst = await takeUntilCaughtUp(client().subscribeToAll({ fromPosition: first.event!.position! }));
      expect(fromFirst.map((e) => e.event!.type)).toEqual(['Second']);
      const fromStart = await takeUntilCaughtUp(client().subscribeToAll({ fromPosition: START }));
      expect(fromStart[0].event!.type).toBe('$epoch-information');
    });

    it('filters on stream names by regex', async () => {
      const tag = randomUUID().slice(0, 8);
      await client().appendToStream(`keep-${tag}`, newEvent('K'), { expectedRevision: NO_STREAM });
      await client().appendToStream(`drop-${tag}`, newEvent('D'), { expectedRevision: NO_STREAM });
      const events = await takeUntilCaughtUp(client().subscribeToAll({ fromPosition: START, filter: streamNameFilter({ regex: `^keep-${tag}$` }) }));
      expect(events.map((e) => e.event!.streamId)).toEqual([`keep-${tag}`]);
    });

    it('subscribes to a stream after a revision, then live', async () => {
      const stream = `stream-sub-${randomUUID()}`;
      await client().appendToStream(stream, [newEvent('S', { n: 0 }), newEvent('S', { n: 1 }), newEvent('S', { n: 2 })], { expectedRevision: NO_STREAM });
      const subscription = client().subscribeToStream(stream, { fromRevision: 0n });
      const seen: number[] = [];
      let three!: () => void;
      const done = new Promise<void>((resolve) => (three = resolve));
      subscription.on('data', (e: ResolvedEvent) => {
        seen.push((e.event!.data as { n: number }).n);
        if (seen.length === 3) three();
      });
      await new Promise<void>((resolve) => subscription.once('caughtUp', () => resolve()));
      await client().appendToStream(stream, newEvent('S', { n: 3 }), { expectedRevision: 2n });
      await done;
      await subscription.unsubscribe();
      expect(seen).toEqual([1, 2, 3]);
    });
  });

  describe('on a server whose live buffer holds two events', () => {
    withServer({ liveBufferSize: 2, statsPeriodMs: 0 }, ({ client }) => {
      it('tells a subscriber that falls behind, catches it up, and tells it again that it caught up', async () => {
        const prefix = `Lag${randomUUID().slice(0, 8)}`;
        const subscription = client().subscribeToAll({ fromPosition: END, filter: eventTypeFilter({ prefixes: [prefix] }) });
        const log: string[] = [];
        subscription.on('caughtUp', () => log.push('caughtUp'));
        subscription.on('fellBehind', () => log.push('fellBehind'));
        let five!: () => void;
        const done = new Promise<void>((resolve) => (five = resolve));
        subscription.on('data', (e: ResolvedEvent) => {
          log.push(String((e.event!.data as { n: number }).n));
          if (e.event!.type.endsWith('5')) five();
        });
        await new Promise<void>((resolve) => subscription.once('caughtUp', () => resolve()));
        const events = [1, 2, 3, 4, 5].map((n) => newEvent(`${prefix}${n}`, { n }));
        await client().appendToStream(`lag-${randomUUID()}`, events, { expectedRevision: NO_STREAM });
        await done;
        await new Promise((resolve) => setTimeout(resolve, 20));
        await subscription.unsubscribe();
        expect(log).toEqual(['caughtUp', 'fellBehind', '1', '2', '3', '4', '5', 'caughtUp']);
      });
    });
  });

  describe('on a server before 23.10', () => {
    withServer({ caughtUp: false, statsPeriodMs: 0 }, ({ client }) => {
      it('sends no caughtUp message', async () => {
        await client().appendToStream(`old-${randomUUID()}`, newEvent('Old'), { expectedRevision: NO_STREAM });
        const subscription = client().subscribeToAll({ fromPosition: START });
        let caughtUp = false;
        subscription.on('caughtUp', () => (caughtUp = true));
        const seen = new Promise<void>((resolve) => subscription.on('data', (e: ResolvedEvent) => e.event!.type === 'Old' && resolve()));
        await seen;
        await new Promise((resolve) => setTimeout(resolve, 100));
        await subscription.unsubscribe();
        expect(caughtUp).toBe(false);
      });
    });
  });
});

describe('connecting', () => {
  it('lists its methods in ServerFeatures, BatchAppend included', async () => {
    const server = await startEsdbTestServer({ statsPeriodMs: 0 });
    const features = new ServerFeaturesClient(address(server.url), credentials.createInsecure());
    try {
      const methods = await new Promise<string[]>((resolve, reject) =>
        features.getSupportedMethods(new shared.Empty(), (error, response) =>
          error ? reject(error) : resolve(response.getMethodsList().map((m) => `${m.getServiceName()}/${m.getMethodName()}`)),
        ),
      );
      expect(methods).toContain('event_store.client.streams.streams/batchappend');
    } finally {
      features.close();
      await server.stop();
    }
  });

  it('answers UNIMPLEMENTED for ServerFeatures when imitating a server before 21.10', async () => {
    const server = await startEsdbTestServer({ serverFeatures: false, statsPeriodMs: 0 });
    const features = new ServerFeaturesClient(address(server.url), credentials.createInsecure());
    try {
      const error = await new Promise<unknown>((resolve) => features.getSupportedMethods(new shared.Empty(), (e) => resolve(e)));
      expect(error).toMatchObject({ code: 12 });
    } finally {
      features.close();
      await server.stop();
    }
  });

  it('lets a client discover it through gossip', async () => {
    const server = await startEsdbTestServer({ statsPeriodMs: 0 });
    const client = EventStoreDBClient.connectionString(server.url.replace('esdb://', 'esdb+discover://'));
    try {
      const stream = `gossip-${randomUUID()}`;
      await client.appendToStream(stream, newEvent('G'), { expectedRevision: NO_STREAM });
      expect(await collect(client.readStream(stream))).toHaveLength(1);
    } finally {
      await client.dispose();
      await server.stop();
    }
  });
});

function address(url: string): string {
  return new URL(url.replace('esdb://', 'http://')).host;
}

/** Collects a subscription's events until the server says it caught up, then unsubscribes. */
async function takeUntilCaughtUp(subscription: ReturnType<EventStoreDBClient['subscribeToAll']>): Promise<ResolvedEvent[]> {
  const events: ResolvedEvent[] = [];
  subscription.on('data', (e: ResolvedEvent) => events.push(e));
  await new Promise<void>((resolve) => subscription.once('caughtUp', () => resolve()));
  await subscription.unsubscribe();
  return events;
}
