/**
 * Jest global setup: starts the servers that the suites share, once per jest run. Each starter publishes
 * its connection details through process.env (inherited by the test workers) and returns a handle that
 * global-teardown.ts stops. To add a server, add its starter to `starters`.
 */
import { startMongoTarget } from './mongo-target';

export interface TestServer {
  readonly name: string;
  stop(): Promise<void>;
}

const starters: ReadonlyArray<() => Promise<TestServer>> = [
  startMongoTarget, // MONGO_URL or a FerretDB -> TEST_MONGO_URL / TEST_MONGO_KIND / TEST_MONGO_UNAVAILABLE
];

/** Where the handles wait for the teardown (jest runs both hooks in its parent process). */
const SERVERS = Symbol.for('one-million-initiatives.test-servers');
type ServerRegistry = { [SERVERS]?: TestServer[] };

export async function stopTestServers(): Promise<void> {
  const registry = globalThis as ServerRegistry;
  const servers = registry[SERVERS] ?? [];
  delete registry[SERVERS];
  const order = [...servers].reverse();
  const results = await Promise.allSettled(order.map((server) => server.stop()));
  const failures = results.flatMap((result, i) => (result.status === 'rejected' ? [`${order[i].name}: ${String(result.reason)}`] : []));
  if (failures.length) throw new Error(`Could not stop test servers:\n${failures.join('\n')}`);
}

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const results = await Promise.allSettled(starters.map((start) => start()));
  const servers = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  (globalThis as ServerRegistry)[SERVERS] = servers;
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  if (failures.length) {
    await stopTestServers().catch(() => undefined);
    throw new AggregateError(failures, `Global setup failed: ${failures.map(String).join('; ')}`);
  }
  if (process.env.TEST_SERVERS_VERBOSE === '1') {
    process.stderr.write(`global setup: ${servers.map((s) => s.name).join(', ')} in ${Date.now() - started} ms\n`);
  }
}
