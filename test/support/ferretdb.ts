/**
 * Starts a throwaway FerretDB (a MongoDB wire-protocol server on SQLite, see test/ferretdb/) for the
 * MongoDB read-model suites: a free loopback port, a fresh temporary data directory, ready once the
 * official `mongodb` driver can ping it. `stop()` kills it and removes the directory.
 *
 * Binary: `FERRETDB_BIN` if set, else the cache path that test/ferretdb/ensure-ferretdb.sh builds
 * into (built on first use by running that script, which needs Go).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { access, constants as fsConstants, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MongoClient } from 'mongodb';

export interface FerretDbServer {
  /** `mongodb://127.0.0.1:<port>/` (no database in the path). */
  readonly url: string;
  readonly port: number;
  /** e.g. `v1.24.2` */
  readonly version: string;
  readonly binary: string;
  readonly dataDir: string;
  readonly pid: number;
  /** From spawning the process to the first successful ping. */
  readonly startupMs: number;
  stop(): Promise<void>;
}

export interface StartFerretDbOptions {
  /** Overrides `FERRETDB_BIN` / the cache. */
  binary?: string;
  /** Default `FERRETDB_START_TIMEOUT_MS` or 20 000. */
  startTimeoutMs?: number;
  /** FerretDB `--log-level`; default `FERRETDB_LOG_LEVEL` or `WARN`. */
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

const FERRETDB_DIR = resolve(__dirname, '..', 'ferretdb');
export const ENSURE_FERRETDB_SCRIPT = join(FERRETDB_DIR, 'ensure-ferretdb.sh');
const TAIL_CHARS = 4000;
const DATA_DIR_PREFIX = 'ferretdb-test-';
/** In each data dir: the pids of the test process and of FerretDB, to sweep dirs left by killed runs. */
const OWNER_FILE = 'owner.json';

/** The FerretDB version pinned in test/ferretdb/go.mod, e.g. `v1.24.2`. */
export function pinnedFerretDbVersion(): string {
  const goMod = readFileSync(join(FERRETDB_DIR, 'go.mod'), 'utf8');
  const match = /github\.com\/FerretDB\/FerretDB\s+(v\d+\.\d+\.\d+)/.exec(goMod);
  if (!match) throw new Error(`Cannot find the pinned github.com/FerretDB/FerretDB version in ${FERRETDB_DIR}/go.mod`);
  return match[1];
}

/** Where ensure-ferretdb.sh puts the binary (keep in sync with the script). */
export function ferretDbCachedBinaryPath(version = pinnedFerretDbVersion()): string {
  const cacheRoot =
    process.env.FERRETDB_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'one-million-initiatives');
  return join(cacheRoot, `ferretdb-${version}`, 'ferretdb');
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The FerretDB binary to run; builds it (via ensure-ferretdb.sh) when neither FERRETDB_BIN nor the cache has one. */
export async function resolveFerretDbBinary(): Promise<string> {
  const fromEnv = process.env.FERRETDB_BIN;
  if (fromEnv) {
    if (!(await isExecutable(fromEnv))) throw new Error(`FERRETDB_BIN=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const cached = ferretDbCachedBinaryPath();
  if (await isExecutable(cached)) return cached;
  return runEnsureScript();
}

function runEnsureScript(): Promise<string> {
  return new Promise((resolvePath, reject) => {
    process.stderr.write(`FerretDB not found at ${ferretDbCachedBinaryPath()}; building it with ${ENSURE_FERRETDB_SCRIPT}...\n`);
    const child = spawn('bash', [ENSURE_FERRETDB_SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderrTail = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      process.stderr.write(chunk);
      stderrTail = (stderrTail + chunk).slice(-TAIL_CHARS);
    });
    child.on('error', (error) => reject(new Error(`Cannot run ${ENSURE_FERRETDB_SCRIPT}: ${error.message}`)));
    child.on('close', (code) => {
      const lines = stdout.split('\n').map((line) => line.trim()).filter(Boolean);
      const path = lines[lines.length - 1];
      if (code === 0 && path && existsSync(path)) resolvePath(path);
      else reject(new Error(`${ENSURE_FERRETDB_SCRIPT} failed (exit code ${code}): ${lastLines(stderrTail, 5) || '(no output)'}`));
    });
  });
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolvePort(port) : reject(new Error('Could not get a free port'))));
    });
  });
}

function lastLines(text: string, n: number): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether something accepts TCP connections on the port (fails fast, unlike the driver's server selection). */
function accepts(port: number): Promise<boolean> {
  return new Promise((r) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      r(true);
    });
    socket.once('error', () => {
      socket.destroy();
      r(false);
    });
  });
}

/** The pid of the server answering on `url` (to be sure it is ours and not whoever took the port meanwhile). */
async function serverPid(url: string): Promise<number> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 1000, connectTimeoutMS: 1000, maxPoolSize: 1 });
  try {
    const status = await client.db('admin').command({ serverStatus: 1 });
    return Number(status.pid);
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** Starts a FerretDB on a free loopback port with a fresh data directory, resolved once it answers a ping. */
export async function startFerretDb(options: StartFerretDbOptions = {}): Promise<FerretDbServer> {
  await sweepStaleDataDirs();
  const binary = options.binary ?? (await resolveFerretDbBinary());
  const version = pinnedFerretDbVersion();
  const timeoutMs = options.startTimeoutMs ?? (Number(process.env.FERRETDB_START_TIMEOUT_MS) || 20_000);
  const logLevel = options.logLevel ?? (process.env.FERRETDB_LOG_LEVEL as StartFerretDbOptions['logLevel']) ?? 'WARN';
  // A port found free may be taken before FerretDB binds it: retry with another one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(binary, version, timeoutMs, logLevel);
    } catch (error) {
      if (attempt < 3 && error instanceof PortInUseError) continue;
      throw error;
    }
  }
}

class PortInUseError extends Error {}

async function startOnce(binary: string, version: string, timeoutMs: number, logLevel: string): Promise<FerretDbServer> {
  const port = await freeLoopbackPort();
  const dataDir = await mkdtemp(join(tmpdir(), DATA_DIR_PREFIX));
  const url = `mongodb://127.0.0.1:${port}/`;
  const args = [
    '--handler=sqlite',
    `--sqlite-url=file:${dataDir}/`,
    `--state-dir=${dataDir}`, // state.json would otherwise land in the cwd
    `--listen-addr=127.0.0.1:${port}`,
    '--debug-addr=-', // no metrics/pprof HTTP listener (its fixed default port would clash between instances)
    '--telemetry=disable',
    `--log-level=${logLevel}`,
    '--log-format=console',
  ];
  const started = Date.now();
  const child = spawn(binary, args, { cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-TAIL_CHARS));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<void>((r) => {
    // 'close' rather than 'exit': by then all its output has been read (e.g. "address already in use").
    child.once('close', (code, signal) => {
      exit = { code, signal };
      r();
    });
    child.once('error', (error) => {
      spawnError = error;
      exit ??= { code: null, signal: null };
      r();
    });
  });
  // Never outlive the test process (e.g. when global teardown does not run).
  const onParentExit = () => {
    if (!exit) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', onParentExit);
  await writeFile(join(dataDir, OWNER_FILE), JSON.stringify({ testPid: process.pid, ferretDbPid: child.pid }));
  // Neither the process nor its pipes keep the event loop of the test process alive.
  child.unref();
  (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
  (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await terminate(child, () => exit !== undefined, exited);
      process.removeListener('exit', onParentExit);
      await rm(dataDir, { recursive: true, force: true });
    })());

  const deadline = started + timeoutMs;
  let lastError: unknown;
  for (;;) {
    if (exit) {
      await stop();
      const tail = lastLines(output, 15);
      if (/address already in use/i.test(output)) throw new PortInUseError(`FerretDB could not bind port ${port}:\n${tail}`);
      throw new Error(
        `FerretDB (${binary}) exited during start-up ` +
          `(${spawnError ? spawnError.message : `code ${exit.code}, signal ${exit.signal}`}). Last output:\n${tail || '(none)'}`,
      );
    }
    try {
      if (await accepts(port)) {
        const pid = await serverPid(url);
        if (pid === child.pid) break;
        await stop();
        throw new PortInUseError(`Another server (pid ${pid}) answers on port ${port}`);
      }
      lastError = new Error(`nothing accepts connections on port ${port} yet`);
    } catch (error) {
      if (error instanceof PortInUseError) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `FerretDB (${binary}) did not answer a ping on ${url} within ${timeoutMs} ms ` +
          `(last error: ${lastError instanceof Error ? lastError.message : String(lastError)}). Last output:\n${lastLines(output, 15) || '(none)'}`,
      );
    }
    await sleep(25);
  }
  return { url, port, version, binary, dataDir, pid: child.pid ?? -1, startupMs: Date.now() - started, stop };
}

function isAlive(pid: unknown): boolean {
  if (typeof pid !== 'number' || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes data dirs of earlier runs that were killed before they could clean up (e.g. Ctrl-C). Best effort. */
async function sweepStaleDataDirs(): Promise<void> {
  try {
    const names = (await readdir(tmpdir())).filter((name) => name.startsWith(DATA_DIR_PREFIX));
    await Promise.all(
      names.map(async (name) => {
        const dir = join(tmpdir(), name);
        try {
          const owner = JSON.parse(await readFile(join(dir, OWNER_FILE), 'utf8')) as { testPid?: unknown; ferretDbPid?: unknown };
          if (!isAlive(owner.testPid) && !isAlive(owner.ferretDbPid)) await rm(dir, { recursive: true, force: true });
        } catch {
          // not ours, not readable, or being created right now: leave it
        }
      }),
    );
  } catch {
    // ignore
  }
}

async function terminate(child: ChildProcess, hasExited: () => boolean, exited: Promise<void>): Promise<void> {
  if (hasExited()) return;
  child.kill('SIGTERM');
  if (await settlesWithin(exited, 5000)) return;
  child.kill('SIGKILL');
  await settlesWithin(exited, 5000);
}

/** Whether `promise` settles within `ms`; the timer is cleared so that it never delays the process exit. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise.then(() => true),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
