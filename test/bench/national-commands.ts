import { performance } from 'node:perf_hooks';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { CurrentTree } from '../../apps/api/src/reorganisations/current-tree';
import { p99 } from './harness';
import { BenchService, caller, caughtUp, startBenchService } from './national-service';

const run = promisify(execFile);

const PROGRAM = 'vn-2022';
/** Issue 8's load: 200 commands a second for 60 s (BENCH_COMMAND_SECONDS shortens it for a trial run). */
export const RATE_PER_SECOND = 200;
export const SECONDS = Number(process.env.BENCH_COMMAND_SECONDS ?? 60);

export interface CommandLoadFigures {
  /** Latency from the moment each request was due, so that a stalled service counts the requests it kept waiting. */
  p50: number;
  p99: number;
  max: number;
  sent: number;
  failed: number;
  /** Commands answered per second over the window. */
  achievedRate: number;
  /** Each failure's status (0: no answer), with the first answer given, for the reader of a ✘. */
  failures: Record<string, string>;
}

export interface NationalCommandFigures {
  idle: CommandLoadFigures;
  duringRebuild: CommandLoadFigures;
  /** Whether the rebuild was still running when the window closed (else part of the window had none). */
  rebuildRanThroughout: boolean;
}

/**
 * Commands sent open loop (one due every 5 ms whether or not earlier ones were answered), over
 * HTTP to the service on the national files: half submissions of new initiatives under grassroots
 * unions across the country, half approvals of initiatives this load submitted and saw accepted.
 * Then the same while a rebuild of the progress projection runs beside the live generation.
 */
export async function commandsNationally(eventsPath: string, readModelsPath: string): Promise<NationalCommandFigures> {
  const service = await startBenchService(eventsPath, readModelsPath);
  try {
    await caughtUp(service.events, service.readModels);
    const unitsFile = `${readModelsPath}.grassroots.json`;
    writeFileSync(unitsFile, JSON.stringify(await grassrootsUnits(service)));
    // The client in a process of its own, as clients are: its CPU is not the service's.
    const load = async (tag: string) => JSON.parse((await run(process.execPath, [__filename, 'load', service.base, service.token, tag, unitsFile], { maxBuffer: 1 << 20 })).stdout) as CommandLoadFigures;
    const idle = await load('idle');
    const asked = await service.call('/admin/projections/progress/rebuild', {});
    if (asked.status !== 202) throw new Error(`rebuild refused: ${asked.status} ${await asked.text()}`);
    const duringRebuild = await load('rebuild');
    const status = (await (await service.call('/admin/projections')).json()) as { items: { rebuild: { state: string } | null }[] };
    return { idle, duringRebuild, rebuildRanThroughout: status.items[0]?.rebuild?.state === 'running' };
  } finally {
    await service.close();
  }
}

async function grassrootsUnits(service: BenchService): Promise<string[]> {
  const { tree } = await service.app.get(CurrentTree).load();
  return [...tree.all()].filter((unit) => unit.kind === 'grassroots' && unit.status === 'active').map((unit) => unit.unitId);
}

async function openLoad(call: (path: string, body?: unknown) => Promise<Response>, grassroots: readonly string[], tag: string): Promise<CommandLoadFigures> {
  const total = RATE_PER_SECOND * SECONDS;
  const everyMs = 1000 / RATE_PER_SECOND;
  const accepted: string[] = [];
  const latencies: number[] = [];
  let failed = 0;
  const failures: Record<string, string> = {};
  const fail = (status: number, text: string) => {
    failed++;
    failures[status] ??= text.slice(0, 300);
  };
  const command = (i: number): [string, unknown] => {
    const toApprove = i % 2 === 1 ? accepted.shift() : undefined;
    if (toApprove) return [`/initiatives/${toApprove}/approve`, { decisionRef: `QĐ ${i}/HĐSK`, approvedAt: '2023-05-10T09:00:00+07:00' }];
    const id = `bench-${tag}-${i}`;
    return [
      '/initiatives',
      {
        id,
        programId: PROGRAM,
        unitId: grassroots[(i * 104_729) % grassroots.length],
        title: `Sáng kiến ${i}: số hoá quy trình tiếp nhận hồ sơ`,
        authors: ['Nguyễn Thị Hoa', { name: 'Trần Văn Nam', memberNo: `CD-${i % 5000}` }],
        category: 'technical',
        appliedOn: '2023-03-15',
        submittedAt: '2023-04-20T02:00:00Z',
        benefitValue: 12_500_000,
      },
    ];
  };
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * everyMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const [path, body] = command(i);
    inFlight.push(
      call(path, body).then(
        async (response) => {
          const text = await response.text();
          latencies.push(performance.now() - due);
          if (!response.ok) fail(response.status, text);
          else if (path === '/initiatives') accepted.push((body as { id: string }).id);
        },
        (error: unknown) => {
          latencies.push(performance.now() - due);
          fail(0, `${String(error)} (${String((error as { cause?: unknown }).cause)})`);
        },
      ),
    );
  }
  await Promise.all(inFlight);
  const elapsed = performance.now() - started;
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length / 2)] ?? 0, p99: p99(latencies), max: sorted[sorted.length - 1] ?? 0, sent: total, failed, achievedRate: (total - failed) / (elapsed / 1000), failures };
}

if (process.argv[2] === 'load') {
  const [, , , base, token, tag, unitsFile] = process.argv;
  openLoad(caller(base, token), JSON.parse(readFileSync(unitsFile, 'utf8')) as string[], tag).then(
    (figures) => process.stdout.write(`${JSON.stringify(figures)}\n`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
