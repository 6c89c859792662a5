/**
 * An in-memory EventStoreDB speaking the gRPC protocol subset that the official Node client uses
 * for reading, appending and subscribing: enough to run an adapter against the real client without
 * a real server, and nothing more. What is not implemented answers UNIMPLEMENTED, as a server
 * without that method would (Streams.Delete/Tombstone, persistent subscriptions, projections,
 * operations, users, monitoring). No TLS, no authentication: the client is told `tls=false`.
 */
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { appendHandler } from './append';
import { batchAppendHandler } from './batch-append';
import { EventLog } from './event-log';
import { gossipReadHandler } from './gossip';
import { GossipService, ServerFeaturesService, StreamsService } from './protocol';
import { readHandler } from './read';
import { supportedMethodsHandler } from './server-features';
import { collectStats, writeStartupEvents } from './system-events';

export interface EsdbTestServerOptions {
  /**
   * Answer ServerFeatures and offer Streams.BatchAppend, as servers from 21.10 do (default). With
   * false, ServerFeatures is UNIMPLEMENTED and BatchAppend is not offered, as on older servers, so
   * the client appends with Streams.Append.
   */
  serverFeatures?: boolean;
  /** Send `caught_up` and `fell_behind` in subscriptions, as servers from 23.10 do (default true). */
  caughtUp?: boolean;
  /**
   * How many appended events a live subscriber may lag behind before its subscription falls behind
   * (`fell_behind`, catch-up, `caught_up`). Default: unbounded, it never falls behind.
   */
  liveBufferSize?: number;
  /** Period of the `$statsCollected` system events; 0 disables them. Default 100 ms. */
  statsPeriodMs?: number;
  /** Listen on this port (default: any free one) and serve this storage (default: a new one): a server that comes back after `stop()`. */
  port?: number;
  log?: EventLog;
}

export interface EsdbTestServer {
  /** Connection string for the official client, e.g. `esdb://127.0.0.1:PORT?tls=false`. */
  url: string;
  /** The server's storage, for tests that play someone with access to it (tampering). */
  log: EventLog;
  stop(): Promise<void>;
}

export async function startEsdbTestServer(options: EsdbTestServerOptions = {}): Promise<EsdbTestServer> {
  const { serverFeatures = true, caughtUp = true, statsPeriodMs = 100, liveBufferSize = Infinity } = options;
  const log = options.log ?? new EventLog();
  const server = new Server();
  const host = '127.0.0.1';
  let port = options.port ?? 0;

  server.addService(StreamsService, {
    read: readHandler(log, { caughtUp, liveBufferSize }),
    append: appendHandler(log),
    ...(serverFeatures ? { batchAppend: batchAppendHandler(log) } : {}),
  });
  if (serverFeatures) {
    server.addService(ServerFeaturesService, { getSupportedMethods: supportedMethodsHandler(caughtUp ? '23.10.0' : '22.10.0') });
  }
  server.addService(GossipService, { read: gossipReadHandler(() => ({ host, port })) });

  port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (error, boundPort) => (error ? reject(error) : resolve(boundPort))),
  );
  const node = `${host}:${port}`;
  writeStartupEvents(log, node);
  const stopStats = collectStats(log, node, statsPeriodMs);

  return {
    url: `esdb://${node}?tls=false`,
    log,
    async stop() {
      stopStats();
      // Subscriptions never end by themselves: cancel every call rather than wait for them.
      server.forceShutdown();
    },
  };
}
