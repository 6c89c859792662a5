import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { LocalDate, MemberCount, ProgramRules, UnitKind } from '@app/domain';
import { DateCounts } from '../progress/date-counts';
import { Figures } from '../progress/figures';
import { ReadModelProjections, ProjectionLimits, ProjectionStateData, UnitNode } from './read-model-projections';
import { PROGRESS_PROJECTION_VERSION } from './projection-version';

/**
 * The projection's state as the store keeps it beside the checkpoint, so that a start loads it and
 * replays only the tail of the log. Opaque to the store: the body is checked against its checksum,
 * and a state of another version (of the projection's code or of this format) is refused.
 */
export interface SavedProjectionState {
  version: string;
  /** The last event the state includes; never beyond the checkpoint it was saved with. */
  position: bigint;
  /** sha256 of the body, hex. */
  checksum: string;
  body: string;
}

/** Raise the format with any change to what exportState() holds or how it is encoded here. */
const STATE_FORMAT = 2;
export const PROJECTION_STATE_VERSION = `progress/${PROGRESS_PROJECTION_VERSION}/state/${STATE_FORMAT}`;

/** Benefit as a JSON number while it is exactly one (parsing is much cheaper), else as digits. */
type EncodedFigures = [number, number, number, number, number, number, number | string, number[]];
type EncodedUnit = [string, string, UnitKind, string | null, UnitNode['status'], string | null, (string | number)[], LocalDate | null, string[]];

const encodeFigures = (f: Figures): EncodedFigures => [f.submitted, f.approved, f.pending, f.rejected, f.withdrawn, f.counted, exactNumber(f.benefitValue), f.countedByDate.encode() as number[]];
const decodeFigures = ([submitted, approved, pending, rejected, withdrawn, counted, benefit, dates]: EncodedFigures): Figures => ({
  submitted,
  approved,
  pending,
  rejected,
  withdrawn,
  counted,
  benefitValue: BigInt(benefit),
  countedByDate: DateCounts.decode(dates),
});

const exactNumber = (value: bigint): number | string => (value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString());

// Positional: 130,000 of them, so no field names.
const encodeUnit = (u: UnitNode): EncodedUnit => [u.unitId, u.name, u.kind, u.parentId, u.status, u.mergedInto, u.memberCounts.flatMap((c) => [c.effectiveOn, c.count]), u.endedOn, u.everPath];
const decodeUnit = ([unitId, name, kind, parentId, status, mergedInto, counts, endedOn, everPath]: EncodedUnit): UnitNode => {
  const memberCounts: MemberCount[] = [];
  for (let i = 0; i < counts.length; i += 2) memberCounts.push({ effectiveOn: counts[i] as LocalDate, count: counts[i + 1] as number });
  return { unitId, name, kind, parentId, status, mergedInto, memberCounts, endedOn, everPath };
};

/**
 * Unit names are Vietnamese: one such letter makes a JavaScript string two bytes per character.
 * Written as escapes, the body stays one byte per character: half of what a start holds while parsing.
 */
function asciiOnly(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function checksumOf(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

export function saveProjectionState(projection: ReadModelProjections): SavedProjectionState {
  const state = projection.exportState();
  const figures = (entries: ProjectionStateData['own']) => entries.map(([k, byPhase]) => [k, byPhase.map(([phase, f]) => [phase, encodeFigures(f)])]);
  const body = asciiOnly(JSON.stringify({
    position: state.position.toString(),
    programs: state.programs,
    units: state.units.map(encodeUnit),
    quotas: state.quotas,
    initiativesOfUnit: state.initiativesOfUnit,
    own: figures(state.own),
    subtree: figures(state.subtree),
  }));
  return { version: PROJECTION_STATE_VERSION, position: state.position, checksum: checksumOf(body), body };
}

export class StateRefusedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'StateRefusedError';
  }
}

/** The projection the saved state holds; StateRefusedError when it is of another version, corrupt, or ahead of `checkpoint`. */
export function restoreProjectionState(saved: SavedProjectionState, checkpoint: bigint, fixedRules: ReadonlyMap<string, ProgramRules> = new Map(), limits: ProjectionLimits = {}): ReadModelProjections {
  const steps = restoreSteps(saved, checkpoint, fixedRules, limits);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same, handing the event loop back between its steps, for a thread that answers requests
 * meanwhile: a national state is 120 MB of JSON, whose restore in one block held every request for
 * seconds. The parse is one step (JSON.parse cannot be split), the longest left (~2 s nationally).
 */
export async function restoreProjectionStateBetweenTurns(
  saved: SavedProjectionState,
  checkpoint: bigint,
  fixedRules: ReadonlyMap<string, ProgramRules> = new Map(),
  limits: ProjectionLimits = {},
): Promise<ReadModelProjections> {
  const steps = restoreSteps(saved, checkpoint, fixedRules, limits);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await nextTurn();
  }
}

/** Body characters hashed in one step: 8 M take a few milliseconds. */
const HASHED_PER_STEP = 8 << 20;
/** Figures entries (a unit's phases in one scope) decoded in one step: ~0.1 s nationally. */
const DECODED_PER_STEP = 25_000;

type RawState = Record<string, unknown[]> & { position: string };
type RawFigures = [string, [string, EncodedFigures][]][];

/** The restore as steps, each short enough to run between two turns of the event loop (but the parse). */
function* restoreSteps(saved: SavedProjectionState, checkpoint: bigint, fixedRules: ReadonlyMap<string, ProgramRules>, limits: ProjectionLimits): Generator<void, ReadModelProjections> {
  if (saved.version !== PROJECTION_STATE_VERSION) throw new StateRefusedError(`it is of version ${saved.version}, not ${PROJECTION_STATE_VERSION}`);
  if (saved.position > checkpoint) throw new StateRefusedError(`it is at position ${saved.position}, beyond the checkpoint ${checkpoint}`);
  const hash = createHash('sha256');
  for (let at = 0; at < saved.body.length; at += HASHED_PER_STEP) {
    hash.update(saved.body.slice(at, at + HASHED_PER_STEP));
    yield;
  }
  if (hash.digest('hex') !== saved.checksum) throw new StateRefusedError('its checksum does not match its contents');
  let raw: RawState;
  try {
    raw = JSON.parse(saved.body) as RawState;
  } catch {
    throw new StateRefusedError('it is not readable');
  }
  if (BigInt(raw.position) !== saved.position) throw new StateRefusedError('its contents are of another position than it says');
  yield;
  try {
    const figures: Record<'own' | 'subtree', [string, [string, Figures][]][]> = { own: [], subtree: [] };
    for (const scope of ['own', 'subtree'] as const) {
      const entries = raw[scope] as RawFigures;
      for (let i = 0; i < entries.length; i += DECODED_PER_STEP) {
        for (const [k, byPhase] of entries.slice(i, i + DECODED_PER_STEP)) figures[scope].push([k, byPhase.map(([phase, f]) => [phase, decodeFigures(f)])]);
        yield;
      }
    }
    return ReadModelProjections.fromState(
      {
        position: saved.position,
        programs: raw.programs as ProjectionStateData['programs'],
        units: (raw.units as EncodedUnit[]).map(decodeUnit),
        quotas: raw.quotas as ProjectionStateData['quotas'],
        initiativesOfUnit: raw.initiativesOfUnit as ProjectionStateData['initiativesOfUnit'],
        own: figures.own,
        subtree: figures.subtree,
      },
      fixedRules,
      limits,
    );
  } catch (error) {
    // Intact (its checksum holds) yet not of this format: written by a defective build, so never trusted.
    throw new StateRefusedError(`it does not decode (${(error as Error).message})`);
  }
}
