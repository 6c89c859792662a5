import { EsdbEventStore } from '@app/event-store';
import { EsdbTestServer, startEsdbTestServer } from '../esdb-test-server';
import { describeWriteApi } from './write-api.e2e';

describe('on the EventStoreDB protocol test server', () => {
  let server: EsdbTestServer;
  beforeAll(async () => {
    server = await startEsdbTestServer({ statsPeriodMs: 20 });
  });
  afterAll(() => server.stop());
  describeWriteApi('EventStoreDB adapter (protocol test server)', async () => EsdbEventStore.connect(server.url));
});

const realServer = process.env.ESDB_URL;
if (realServer) {
  describeWriteApi('EventStoreDB (real server at ESDB_URL)', async () => EsdbEventStore.connect(realServer));
} else {
  console.warn('>>> NOT RUN: the command API end-to-end suite against a real EventStoreDB, because ESDB_URL is not set. <<<');
}
