import { EsdbEventStore } from '@app/event-store';
import { EsdbTestServer, startEsdbTestServer } from '../esdb-test-server';
import { LogRecord } from '../esdb-test-server/event-log';
import { describeIntegrity } from './integrity.e2e';

jest.setTimeout(60_000);

/** EventStoreDB through its adapter, on the protocol test server, whose storage the test rewrites directly. */
describe('tamper evidence on EventStoreDB', () => {
  let server: EsdbTestServer;
  beforeAll(async () => {
    server = await startEsdbTestServer({ statsPeriodMs: 50 });
  });
  afterAll(async () => {
    await server?.stop();
  });
  const record = (stream: string, revision: number): LogRecord => server.log.streamRecords(stream)![revision]!;
  const contentOf = (r: LogRecord) => ({ type: r.type, data: r.data, metadata: r.metadata });

  describeIntegrity('EventStoreDB protocol test server, tampered in its storage', {
    openEvents: async () => EsdbEventStore.connect(server.url),
    tampering: {
      truncateAfter: async (position) => server.log.truncateAfter(position),
      editData: async (stream, revision, edit) => {
        const target = record(stream, revision);
        const original = target.data;
        target.data = Buffer.from(JSON.stringify(edit(JSON.parse(Buffer.from(original).toString('utf8')))));
        return async () => {
          target.data = original;
        };
      },
      remove: async (stream, revision) => {
        const undo = server.log.remove(stream, BigInt(revision));
        return async () => undo();
      },
      swap: async (stream, a, b) => {
        const [first, second] = [record(stream, a), record(stream, b)];
        const [one, two] = [contentOf(first), contentOf(second)];
        Object.assign(first, two);
        Object.assign(second, one);
        return async () => {
          Object.assign(first, one);
          Object.assign(second, two);
        };
      },
    },
  });
});
