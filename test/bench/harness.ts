import { cpus, tmpdir, totalmem } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A tiny benchmark harness. Every measurement compares a subject with a baseline measured in the
 * same run, interleaved rep by rep (so that a noisy neighbour or a thermal dip hits both), and
 * reports medians. The ratio subject ÷ baseline is what to compare across machines and commits;
 * absolute times only describe this machine.
 */

/** One thing to time: `setup` and `teardown` are not timed; `run` does `work` units of work. */
export interface Case<Ctx = unknown> {
  name: string;
  work: number;
  unit: string;
  setup?: () => Promise<Ctx> | Ctx;
  run: (ctx: Ctx) => Promise<void> | void;
  teardown?: (ctx: Ctx) => Promise<void> | void;
}

export interface Measurement {
  name: string;
  work: number;
  unit: string;
  /** Milliseconds of every timed rep (warm-ups excluded). */
  samples: number[];
  medianMs: number;
}

export interface Result {
  id: string;
  subject: Measurement;
  baseline: Measurement;
  /** subject time per unit of work ÷ baseline time per unit of work. */
  ratio: number;
  /** The ratio is the median of each rep's own (the two cases timed side by side), not the ratio of the medians. */
  paired?: boolean;
  note?: string;
}

export interface RepOptions {
  warmup: number;
  reps: number;
}

/** `BENCH_SCALE` (default 1) multiplies every work size; `BENCH_REPS` overrides the repetitions. */
export const SCALE = positiveNumber('BENCH_SCALE', 1);
const REPS_OVERRIDE = process.env.BENCH_REPS ? positiveNumber('BENCH_REPS', 5) : undefined;
/** `BENCH_VERBOSE=1` prints every timed sample. */
const VERBOSE = Boolean(process.env.BENCH_VERBOSE);
/** `BENCH_ONLY=1,4` runs only those benchmarks (by number). */
const ONLY = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

export function selected(id: string): boolean {
  return ONLY.length === 0 || ONLY.some((o) => id.startsWith(o) || o.startsWith(id));
}

export function scaled(base: number, min = 1): number {
  return Math.max(min, Math.round(base * SCALE));
}

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return value;
}

const gc = exposeGc();
const collectGarbage = (): void => gc?.();

/** `npm run bench` starts node without --expose-gc; a full GC between reps keeps one rep's garbage out of the next. */
function exposeGc(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const found = runInNewContext('gc') as unknown;
    if (typeof found === 'function') return found as () => void;
  } catch {
    // no gc between reps, then
  }
  return undefined;
}

async function timeOnce<Ctx>(c: Case<Ctx>): Promise<number> {
  const ctx = (c.setup ? await c.setup() : undefined) as Ctx;
  collectGarbage();
  const start = process.hrtime.bigint();
  try {
    await c.run(ctx);
    return Number(process.hrtime.bigint() - start) / 1e6;
  } finally {
    await c.teardown?.(ctx);
  }
}

/** The 99th percentile (nearest rank). */
export function p99(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? 0;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Warm-ups, then `reps` timed runs of each case, alternating which goes first (ABBA…). */
export async function compare<S, B>(id: string, subject: Case<S>, baseline: Case<B>, options: RepOptions, note?: string): Promise<Result> {
  const reps = REPS_OVERRIDE ?? options.reps;
  const s: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < options.warmup; i++) {
    await timeOnce(baseline);
    await timeOnce(subject);
  }
  for (let i = 0; i < reps; i++) {
    if (i % 2 === 0) {
      b.push(await timeOnce(baseline));
      s.push(await timeOnce(subject));
    } else {
      s.push(await timeOnce(subject));
      b.push(await timeOnce(baseline));
    }
  }
  return report(id, subject, s, baseline, b, note);
}

/** A case that can also be run a slice at a time: `runSlice(ctx, i)` does the i-th of `slices` equal parts of `run`'s work. */
export interface SlicedCase<Ctx = unknown> extends Case<Ctx> {
  slices: number;
  runSlice: (ctx: Ctx, slice: number) => Promise<void> | void;
}

/**
 * Like compare, for two cases that can be open side by side and leave no work running between
 * their calls (no background thread whose cost would fall on the other case's slices): each rep
 * sets both up, then times them slice by slice, alternating which goes first. A disturbance longer
 * than a slice (a neighbour's burst of fsyncs on a shared disk, lasting seconds) then falls on both
 * alike, where whole runs one after the other each meet their own.
 */
export async function compareSliced<S, B>(id: string, subject: SlicedCase<S>, baseline: SlicedCase<B>, options: RepOptions, note?: string): Promise<Result> {
  if (subject.slices !== baseline.slices) throw new Error(`${id}: subject and baseline must have as many slices`);
  const reps = REPS_OVERRIDE ?? options.reps;
  const s: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < options.warmup + reps; i++) {
    const [subjectMs, baselineMs] = await timeSideBySide(subject, baseline);
    if (i < options.warmup) continue;
    s.push(subjectMs);
    b.push(baselineMs);
  }
  // Each rep timed both side by side, so its own ratio cancels what slowed both alike; their median is the paired estimate.
  const paired = median(s.map((ms, i) => ms / subject.work / (b[i]! / baseline.work)));
  return report(id, subject, s, baseline, b, note, paired);
}

async function timeSideBySide<S, B>(subject: SlicedCase<S>, baseline: SlicedCase<B>): Promise<[number, number]> {
  const subjectCtx = (subject.setup ? await subject.setup() : undefined) as S;
  try {
    const baselineCtx = (baseline.setup ? await baseline.setup() : undefined) as B;
    try {
      collectGarbage();
      let subjectMs = 0;
      let baselineMs = 0;
      for (let slice = 0; slice < subject.slices; slice++) {
        if (slice % 2 === 0) {
          baselineMs += await timeSlice(baseline, baselineCtx, slice);
          subjectMs += await timeSlice(subject, subjectCtx, slice);
        } else {
          subjectMs += await timeSlice(subject, subjectCtx, slice);
          baselineMs += await timeSlice(baseline, baselineCtx, slice);
        }
      }
      return [subjectMs, baselineMs];
    } finally {
      await baseline.teardown?.(baselineCtx);
    }
  } finally {
    await subject.teardown?.(subjectCtx);
  }
}

async function timeSlice<Ctx>(c: SlicedCase<Ctx>, ctx: Ctx, slice: number): Promise<number> {
  const start = process.hrtime.bigint();
  await c.runSlice(ctx, slice);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function measurement(c: Pick<Case, 'name' | 'work' | 'unit'>, samples: number[]): Measurement {
  return { name: c.name, work: c.work, unit: c.unit, samples, medianMs: median(samples) };
}

// ---- printing ----

export function machine(): string {
  const cpu = cpus();
  return [
    `node ${process.version} (${process.platform}/${process.arch})`,
    `${cpu.length} × ${cpu[0]?.model ?? 'unknown cpu'}`,
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `tmpdir ${tmpdir()}`,
    `BENCH_SCALE=${SCALE}`,
    `gc between reps: ${gc ? 'yes' : 'no'}`,
  ].join(' · ');
}

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function formatRate(work: number, ms: number, unit: string): string {
  const perSecond = (work * 1000) / ms;
  const short = unit.replace(/s$/, '');
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M ${short}/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k ${short}/s`;
  return `${perSecond.toFixed(0)} ${short}/s`;
}

function formatPerUnit(work: number, ms: number, unit: string): string {
  const us = (ms * 1000) / work;
  const short = unit.replace(/s$/, '');
  return us >= 1000 ? `${(us / 1000).toFixed(2)} ms/${short}` : `${us.toFixed(2)} µs/${short}`;
}

/** Median absolute deviation, relative to the median: robust to the one rep a noisy neighbour spoiled. */
function spread(m: Measurement): string {
  const mad = median(m.samples.map((x) => Math.abs(x - m.medianMs)));
  return `±${((mad / m.medianMs) * 100).toFixed(0)}%`;
}

function printResult(r: Result): void {
  const line = (label: string, m: Measurement) =>
    `    ${label} ${m.name}: ${m.work.toLocaleString('en')} ${m.unit} in ${formatMs(m.medianMs)} (median of ${m.samples.length}, MAD ${spread(m)}) → ${formatRate(m.work, m.medianMs, m.unit)}, ${formatPerUnit(m.work, m.medianMs, m.unit)}`;
  console.log(line('subject ', r.subject));
  console.log(line('baseline', r.baseline));
  if (VERBOSE) {
    console.log(`    samples  subject ${r.subject.samples.map(formatMs).join(', ')}; baseline ${r.baseline.samples.map(formatMs).join(', ')}`);
  }
  console.log(`    ratio    ${r.ratio.toFixed(2)} × baseline (per unit of work${r.paired ? `, median of each rep's ratio` : ''})${r.note ? ` — ${r.note}` : ''}`);
}

export function printTable(results: readonly Result[]): void {
  const header = ['#', 'benchmark', 'work', 'median', 'MAD', 'throughput', 'baseline (same run)', 'baseline thr.', 'ratio'];
  const rows = results.map((r) => [
    r.id,
    r.subject.name,
    `${r.subject.work.toLocaleString('en')} ${r.subject.unit}`,
    formatMs(r.subject.medianMs),
    spread(r.subject),
    formatRate(r.subject.work, r.subject.medianMs, r.subject.unit),
    r.baseline.name,
    formatRate(r.baseline.work, r.baseline.medianMs, r.baseline.unit),
    `${r.ratio.toFixed(2)}×`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const fmt = (row: string[]) => row.map((cell, i) => (i >= 2 && i !== 6 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(' │ ');
  console.log(fmt(header));
  console.log(widths.map((w) => '─'.repeat(w)).join('─┼─'));
  for (const row of rows) console.log(fmt(row));
}

// ---- temp files ----

/** A fresh directory under os.tmpdir(), removed by `cleanup()` (also on exit, whatever happens). */
export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'omi-bench-'));
  private counter = 0;

  constructor() {
    process.once('exit', () => this.cleanup());
    process.once('SIGINT', () => {
      this.cleanup();
      process.exit(130);
    });
  }

  file(prefix: string): string {
    return join(this.path, `${prefix}-${++this.counter}.sqlite`);
  }

  cleanup(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** Removes a SQLite file and its WAL companions. */
export function removeDb(path: string): void {
  if (path === ':memory:') return;
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
}

/** The result of a comparison (work-normalised ratio of the medians, or the paired ratio when given), printed. */
function report(id: string, subject: Pick<Case, 'name' | 'work' | 'unit'>, s: number[], baseline: Pick<Case, 'name' | 'work' | 'unit'>, b: number[], note?: string, paired?: number): Result {
  const result: Result = {
    id,
    subject: measurement(subject, s),
    baseline: measurement(baseline, b),
    ratio: paired ?? median(s) / subject.work / (median(b) / baseline.work),
    paired: paired !== undefined,
    note,
  };
  printResult(result);
  return result;
}
