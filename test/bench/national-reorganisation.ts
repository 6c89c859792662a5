import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { CurrentTree } from '../../apps/api/src/reorganisations/current-tree';
import { CSV_HEADER } from '../../apps/api/src/reorganisations/plan-steps';
import { csvLine } from '../../apps/cli/src/csv';
import { ReorganisationRunner } from '../../apps/api/src/reorganisations/reorganisation-runner';
import { p99 } from './harness';
import { caller, caughtUp, startBenchService } from './national-service';
import { reorganisation2025 } from './reorganisation-plan';

const PROGRAM = 'vn-2022';
/** 63 provinces became 34: the national log's 30 provinces become as many in proportion. */
const PROVINCES_AFTER = (provinces: number) => Math.max(1, Math.round((provinces * 34) / 63));
/** The load beside the reorganisation: a unit's progress every this many ms, a submission every that many. */
const QUERY_EVERY_MS = 20;
const COMMAND_EVERY_MS = 50;

export interface ReorganisationFigures {
  steps: number;
  /** The plan's dry run (`?dryRun=true`), alone: checked whole, then every province's and sector's figures before and after. */
  previewMs: number;
  /** From the decision's submission (the plan checked whole) until its last step is written. */
  appliedMs: number;
  /** Until the read models show it too. */
  projectedMs: number;
  unitProgressP99: number;
  commandP99: number;
  queries: number;
  commands: number;
}

/**
 * The 2025-shaped plan applied to the national log by the service itself (its HTTP server, its
 * embedded projector, its reorganisation runner), with a unit's progress queried and initiatives
 * submitted over HTTP meanwhile. The plan is sent as a provincial office would: its CSV, over HTTP.
 */
export async function reorganiseNationally(eventsPath: string, readModelsPath: string, provinces: number): Promise<ReorganisationFigures> {
  const { app, events, readModels, call, close, base, token } = await startBenchService(eventsPath, readModelsPath);
  try {
    await caughtUp(events, readModels);
    const { tree } = await app.get(CurrentTree).load();
    const plan = reorganisation2025(tree, { provincesAfter: PROVINCES_AFTER(provinces) });
    const grassroots = [...tree.all()].filter((u) => u.kind === 'grassroots' && u.status === 'active').map((u) => u.unitId);

    // Written before the load starts: the bench's own work in the service's process, which no client's request should wait for.
    const csv = [csvLine(CSV_HEADER), ...plan.steps.map(csvLineOf)].join('');
    const previewing = performance.now();
    const previewed = await call('/admin/reorganisations?dryRun=true', { documentRef: plan.documentRef, effectiveOn: plan.effectiveOn, csv });
    if (previewed.status !== 200) throw new Error(`the dry run: ${previewed.status} ${await previewed.text()}`);
    await previewed.arrayBuffer();
    const previewMs = performance.now() - previewing;
    // The load in a client process of its own, as clients are: its CPU is not the service's.
    const unitsFile = `${readModelsPath}.grassroots.json`;
    writeFileSync(unitsFile, JSON.stringify(grassroots));
    const client = spawn(process.execPath, [__filename, 'load', base, token, unitsFile], { stdio: ['pipe', 'pipe', 'inherit'] });
    let output = '';
    client.stdout.on('data', (chunk) => (output += chunk));
    const loaded = new Promise<{ queries: number[]; commands: number[] }>((resolve, reject) =>
      client.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output) as { queries: number[]; commands: number[] }) : reject(new Error(`the load's client ended with ${code}`)))),
    );
    const started = performance.now();
    const decided = await call('/admin/reorganisations', { documentRef: plan.documentRef, effectiveOn: plan.effectiveOn, csv });
    if (decided.status !== 202) throw new Error(`${decided.status} ${await decided.text()}`);
    const answer = (await decided.json()) as { id: string };
    const runner = app.get(ReorganisationRunner);
    let lastReport = 0;
    for (;;) {
      const status = (await runner.status(answer.id))!;
      if (status.state === 'interrupted') throw new Error(`interrupted: ${status.error}`);
      if (status.state === 'done') break;
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        console.error(`  reorganisation: ${status.stepsDone}/${status.stepsTotal} steps, ${status.rate} steps/s, ETA ${status.etaSeconds ?? '?'} s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const appliedMs = performance.now() - started;
    await caughtUp(events, readModels);
    const projectedMs = performance.now() - started;
    client.stdin.end();
    const { queries, commands } = await loaded;
    return { steps: plan.steps.length, previewMs, appliedMs, projectedMs, unitProgressP99: p99(queries), commandP99: p99(commands), queries: queries.length, commands: commands.length };
  } finally {
    await close();
  }
}

function csvLineOf(step: ReturnType<typeof reorganisation2025>['steps'][number]): string {
  switch (step.action) {
    case 'register':
      return csvLine([step.action, step.unitId, step.parentId ?? '', step.name, step.kind, step.memberCount]);
    case 'move':
      return csvLine([step.action, step.unitId, step.toParentId, '', '', '']);
    case 'merge':
      return csvLine([step.action, step.unitId, step.intoUnitId, '', '', '']);
    case 'wind-up':
      return csvLine([step.action, step.unitId, '', '', '', '']);
  }
}

/** The client's side: a unit's progress every QUERY_EVERY_MS, a submission every COMMAND_EVERY_MS, until its stdin closes; prints their latencies. */
async function loadUntilClosed(call: (path: string, body?: unknown) => Promise<Response>, grassroots: readonly string[]): Promise<{ queries: number[]; commands: number[] }> {
  let running = true;
  process.stdin.on('end', () => (running = false)).resume();
  const queries: number[] = [];
  const commands: number[] = [];
  const load = (every: number, samples: number[], request: (i: number) => Promise<Response>) =>
    (async () => {
      for (let i = 0; running; i++) {
        const t = performance.now();
        const response = await request(i);
        if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
        await response.arrayBuffer();
        samples.push(performance.now() - t);
        await new Promise((resolve) => setTimeout(resolve, every));
      }
    })();
  await Promise.all([
    load(QUERY_EVERY_MS, queries, (i) => call(`/units/${grassroots[(i * 7919) % grassroots.length]}/progress?programId=${PROGRAM}`)),
    load(COMMAND_EVERY_MS, commands, (i) =>
      call('/initiatives', {
        id: `bench-reorg-${i}`,
        programId: PROGRAM,
        unitId: grassroots[(i * 104_729) % grassroots.length],
        title: `Sáng kiến ${i}: cải tiến quy trình trong khi tổ chức lại`,
        authors: ['Nguyễn Thị Hoa'],
        category: 'management',
        appliedOn: '2023-03-15',
        submittedAt: '2023-04-20T02:00:00Z',
        benefitValue: 7_000_000,
      }),
    ),
  ]);
  return { queries, commands };
}

if (process.argv[2] === 'load') {
  const [, , , base, token, unitsFile] = process.argv;
  loadUntilClosed(caller(base, token), JSON.parse(readFileSync(unitsFile, 'utf8')) as string[]).then(
    (samples) => process.stdout.write(JSON.stringify(samples)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
