/**
 * Which MongoDB-wire server the MongoDB suites run against:
 *  - `MONGO_URL`, if set: a real MongoDB (or anything speaking its protocol), used as is;
 *  - otherwise a FerretDB (test/support/ferretdb.ts) started once per jest run by the global setup.
 *
 * The global setup (`startMongoTarget`) publishes the choice to the test workers via env vars:
 *   TEST_MONGO_URL          server URL without a database (each suite adds its own, see describeWithMongo)
 *   TEST_MONGO_KIND         `ferretdb` | `mongodb`
 *   TEST_MONGO_LABEL        e.g. `FerretDB 1.24.2`, `MongoDB 7.0.14`; appended to suite names
 *   TEST_MONGO_UNAVAILABLE  instead of the above: why there is no server (suites are then skipped, loudly)
 * Set TEST_MONGO_REQUIRED=1 (CI) to make the run fail instead of skipping when no server is available.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { startFerretDb } from './ferretdb';

export type MongoKind = 'ferretdb' | 'mongodb';

export const MONGO_TARGET_ENV = {
  url: 'TEST_MONGO_URL',
  kind: 'TEST_MONGO_KIND',
  label: 'TEST_MONGO_LABEL',
  unavailable: 'TEST_MONGO_UNAVAILABLE',
} as const;

export type MongoTarget =
  | { readonly available: true; readonly url: string; readonly kind: MongoKind; readonly label: string }
  | { readonly available: false; readonly reason: string };

/** What a suite registered with describeWithMongo gets besides `getUrl`. */
export interface MongoSuiteContext {
  readonly kind: MongoKind;
  /** e.g. `FerretDB 1.24.2` */
  readonly label: string;
  /** This suite's own database (also the database in the path of `getUrl()`). */
  readonly dbName: string;
}

/** Reads the target published by the global setup (in a test worker or in-band). */
export function mongoTarget(): MongoTarget {
  const env = process.env;
  const url = env[MONGO_TARGET_ENV.url];
  const kind = env[MONGO_TARGET_ENV.kind];
  if (url && (kind === 'ferretdb' || kind === 'mongodb')) {
    return { available: true, url, kind, label: env[MONGO_TARGET_ENV.label] || kind };
  }
  return {
    available: false,
    reason:
      env[MONGO_TARGET_ENV.unavailable] ||
      'the jest global setup (test/support/global-setup.ts) did not publish a MongoDB server (TEST_MONGO_URL is not set)',
  };
}

/** `url` with its database path replaced by `dbName`; keeps the original auth database when it had credentials. */
export function withDatabase(url: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/)([^/?]*)(\/[^?]*)?(\?.*)?$/.exec(url);
  if (!match) throw new Error(`Not a MongoDB connection string: ${url}`);
  const [, scheme, hosts, path = '', query = ''] = match;
  const params = new URLSearchParams(query.slice(1));
  // Without authSource, the path database is also the authentication database.
  if (hosts.includes('@') && !params.has('authSource')) {
    params.set('authSource', decodeURIComponent(path.slice(1)) || 'admin');
  }
  const search = params.toString();
  return `${scheme}${hosts}/${encodeURIComponent(dbName)}${search ? `?${search}` : ''}`;
}

function describeServer(buildInfo: Record<string, unknown>): { kind: MongoKind; label: string } {
  if (typeof buildInfo.ferretdbVersion === 'string') {
    return { kind: 'ferretdb', label: `FerretDB ${buildInfo.ferretdbVersion.replace(/^v/, '')}` };
  }
  return { kind: 'mongodb', label: `MongoDB ${String(buildInfo.version ?? '?')}` };
}

function publish(target: MongoTarget): void {
  for (const name of Object.values(MONGO_TARGET_ENV)) delete process.env[name];
  if (target.available) {
    process.env[MONGO_TARGET_ENV.url] = target.url;
    process.env[MONGO_TARGET_ENV.kind] = target.kind;
    process.env[MONGO_TARGET_ENV.label] = target.label;
  } else {
    process.env[MONGO_TARGET_ENV.unavailable] = target.reason;
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * For the jest global setup: chooses the server (starting FerretDB if MONGO_URL is not set), publishes it
 * through process.env and returns a handle that stops what was started. Does not throw when no server is
 * available (the suites are skipped, loudly), unless TEST_MONGO_REQUIRED=1.
 */
export async function startMongoTarget(): Promise<{ readonly name: string; stop(): Promise<void> }> {
  const noop = { name: 'MongoDB target (nothing started)', stop: async () => undefined };
  const unavailable = (reason: string) => {
    if (process.env.TEST_MONGO_REQUIRED === '1') {
      throw new Error(`TEST_MONGO_REQUIRED=1 but no MongoDB-wire server is available: ${reason}`);
    }
    publish({ available: false, reason });
    process.stderr.write(`\n>>> MongoDB suites will be SKIPPED: ${reason} <<<\n`);
    return noop;
  };

  const external = process.env.MONGO_URL;
  if (external) {
    const client = new MongoClient(external, { serverSelectionTimeoutMS: 5000 });
    try {
      const info = await client.db('admin').command({ buildInfo: 1 });
      publish({ available: true, url: external, ...describeServer(info) });
      return noop;
    } catch (error) {
      return unavailable(`MONGO_URL is set but the server does not answer: ${message(error)}`);
    } finally {
      await client.close().catch(() => undefined);
    }
  }

  try {
    const server = await startFerretDb();
    publish({ available: true, url: server.url, kind: 'ferretdb', label: `FerretDB ${server.version.replace(/^v/, '')}` });
    if (process.env.TEST_SERVERS_VERBOSE === '1') {
      process.stderr.write(`FerretDB ${server.version} up on ${server.url} in ${server.startupMs} ms (pid ${server.pid})\n`);
    }
    return {
      name: `FerretDB on ${server.url}`,
      stop: async () => {
        await server.stop();
        publish({ available: false, reason: 'the FerretDB of this jest run has been stopped' });
      },
    };
  } catch (error) {
    return unavailable(`MONGO_URL is not set and FerretDB could not be started: ${message(error)}`);
  }
}

function databaseNameFor(suiteName: string): string {
  const slug = suiteName
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 32);
  return `t_${slug}_${randomBytes(4).toString('hex')}`;
}

/**
 * Registers a suite that needs a MongoDB-wire server. `getUrl()` returns a connection string whose path is
 * this suite's own random database (so `client.db()` is isolated from other suites); the database is
 * dropped after the suite. Without a server the suite is registered as skipped and a loud warning names it.
 */
export function describeWithMongo(
  name: string,
  fn: (getUrl: () => string, context: MongoSuiteContext) => void,
): void {
  const target = mongoTarget();
  const dbName = databaseNameFor(name);
  if (!target.available) {
    // eslint-disable-next-line no-console
    console.warn(
      `>>> SKIPPED (no MongoDB-wire server): "${name}" — ${target.reason}. ` +
        'Set MONGO_URL to a MongoDB, or install Go so that test/ferretdb/ensure-ferretdb.sh can build FerretDB. <<<',
    );
    describe.skip(`${name} [SKIPPED: no MongoDB-wire server]`, () => {
      fn(
        () => {
          throw new Error(`No MongoDB-wire server: ${target.reason}`);
        },
        { kind: 'mongodb', label: 'unavailable', dbName },
      );
    });
    return;
  }
  const url = withDatabase(target.url, dbName);
  describe(`${name} [${target.label}]`, () => {
    fn(() => url, { kind: target.kind, label: target.label, dbName });
    // Declared after the suite's own hooks, so it runs after them (jest-circus runs afterAll hooks in order).
    afterAll(async () => {
      const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
      try {
        await client.db().dropDatabase();
      } finally {
        await client.close();
      }
    });
  });
}
