import { DOMAIN_EVENT_TYPES, domainEventCodec, DomainEventType, INITIATIVE_EVENT_TYPES, isDomainEventType, ProgramRules } from '@app/domain';
import { JournalChanges } from '../audit/history-journal';
import { InitiativeDoc } from '../initiatives/initiative-doc';
import { InitiativesProjection, PreviousInitiatives } from '../initiatives/initiatives-projection';
import { ProgramDoc } from '../programs/program-doc';
import { ProgramsProjection } from '../programs/programs-projection';
import { ProgressProjection, ProgressStateData } from '../progress/progress-projection';
import { ProgressRow } from '../progress/progress-row';
import { UnitDoc } from '../units/unit-doc';
import { UnitsProjection } from '../units/units-projection';
import { InitiativeNode } from './initiative-node';
import { ProgrammeState, ProgrammeStateData, ProgrammeStatePart } from './programme-state';
import { ProjectedEvent, ReadModelProjection } from './read-model-projection';

export type { PreviousInitiatives } from '../initiatives/initiatives-projection';
export type { ProgramEntry, UnitNode } from './programme-state';
export type { ProjectedEvent } from './read-model-projection';

/** The documents to write after a batch: everything the batch changed, each whole. */
export interface ProjectionChanges {
  progress: ProgressRow[];
  units: UnitDoc[];
  initiatives: InitiativeDoc[];
  programs: ProgramDoc[];
  /** The history journal's new lines (when the progress projection keeps the journal; see ProjectionLimits). */
  journal?: JournalChanges;
}

/** The projections' state between batches (see projection-state.ts for how it is saved). */
export interface ProjectionStateData extends ProgrammeStateData, ProgressStateData {
  position: bigint;
}

/** A part of the state: entries of one section (see exportStateInParts). */
export type ProjectionStatePart = ProgrammeStatePart | { [K in keyof ProgressStateData]: { section: K; entries: ProgressStateData[K] } }[keyof ProgressStateData];

/** Initiative nodes a projector keeps in memory between batches by default (see ProjectionLimits.initiativesInMemory). */
export const INITIATIVES_IN_MEMORY = 100_000;

export interface ProjectionLimits {
  /** Descriptions of recently rendered initiatives kept (default 50,000). */
  recentDescriptions?: number;
  /**
   * Initiative nodes kept between batches (default: all). With a bound, the nodes of initiatives
   * not touched lately are let go after a flush, and the caller gives them back before an event of
   * theirs (`initiativeToLoad`, `load`): the projector folds them from the initiative's stream.
   */
  initiativesInMemory?: number;
  /**
   * Keep the history journal (see history-journal.ts): each flush carries the lines of its events;
   * `{ unitId }` keeps one unit's lines only (a unit's verification). Needs stored events.
   */
  journal?: boolean | { unitId: string };
}

/**
 * The four read models' projections run together over one programme state: each event evolves the
 * state once, then goes to the projections that handle its type; a flush gathers what each changed.
 * What one read model does with an event is in its own projection (progress, units, initiatives,
 * programmes); this class only routes, and answers the replays' questions across them.
 */
export class ReadModelProjections {
  position = 0n;
  readonly progress: ProgressProjection;
  readonly units: UnitsProjection;
  readonly initiatives: InitiativesProjection;
  readonly programs: ProgramsProjection;
  private readonly all: ReadModelProjection<unknown>[];
  /** The projections that take each event type, in the order they run: found once, not per event. */
  private readonly byType = new Map<DomainEventType, ReadModelProjection<unknown>[]>();

  constructor(
    fixedRules: ReadonlyMap<string, ProgramRules> = new Map(),
    limits: ProjectionLimits = {},
    private readonly state = new ProgrammeState(fixedRules, limits.initiativesInMemory ?? Infinity),
    saved?: ProgressStateData,
  ) {
    this.progress = new ProgressProjection(state, { journal: limits.journal }, saved);
    this.units = new UnitsProjection(state);
    this.initiatives = new InitiativesProjection(state, limits.recentDescriptions);
    this.programs = new ProgramsProjection(state);
    this.all = [this.progress, this.units, this.initiatives, this.programs];
    for (const type of DOMAIN_EVENT_TYPES) this.byType.set(type, this.all.filter((projection) => projection.handles.has(type)));
  }

  static fromState(data: ProjectionStateData, fixedRules: ReadonlyMap<string, ProgramRules> = new Map(), limits: ProjectionLimits = {}): ReadModelProjections {
    const projections = new ReadModelProjections(fixedRules, limits, ProgrammeState.fromState(data, fixedRules, limits.initiativesInMemory ?? Infinity), data);
    projections.position = data.position;
    return projections;
  }

  /**
   * The state in parts of at most `n` entries of one kind, in the order a saved state keeps them
   * (units, quotas, initiatives by unit, then the figures own and over subtrees): a national state
   * made at once took ~1 GB of objects beside the projection, in the projector's thread, at every save.
   */
  *exportStateInParts(n: number): Generator<ProjectionStatePart> {
    if (this.hasChanges()) throw new Error('The projection state is saved between batches, not with changes pending');
    yield* this.state.exportStateInParts(n);
    for (const section of ['own', 'subtree'] as const) for (const entries of this.progress.figuresInParts(section, n)) yield { section, entries };
  }

  /** The programmes' entries, which a saved state keeps apart from the parts (they are few). */
  programEntries(): ProjectionStateData['programs'] {
    return this.state.programEntriesById();
  }

  /** The whole state at once (for comparisons; a save takes it in parts). */
  exportState(): ProjectionStateData {
    const data: ProjectionStateData = { position: this.position, programs: this.programEntries(), units: [], quotas: [], initiativesOfUnit: [], own: [], subtree: [] };
    for (const part of this.exportStateInParts(Infinity)) for (const entry of part.entries) (data[part.section] as unknown[]).push(entry);
    return data;
  }

  apply(event: ProjectedEvent): void {
    if (event.position <= this.position) return;
    this.position = event.position;
    if (!isDomainEventType(event.type)) return;
    const e = domainEventCodec.decode(event);
    const concerned = this.byType.get(e.type)!;
    for (const projection of concerned) projection.prepare?.(e, event);
    const change = this.state.evolve(e);
    if (change) for (const projection of concerned) projection.apply(e, change, event);
    for (const projection of concerned) projection.settle?.(e, event);
  }

  /** The initiative whose node must be loaded (see `load`) before this event is applied, if any. */
  initiativeToLoad(event: ProjectedEvent): string | undefined {
    if (event.position <= this.position || !LATER_INITIATIVE_EVENTS.has(event.type)) return undefined;
    const id = event.data.initiativeId;
    return typeof id === 'string' && !this.state.hasNode(id) ? id : undefined;
  }

  /** Gives back a node let go earlier, as it stood just before the event about to be applied. */
  load(node: InitiativeNode): void {
    this.state.load(node);
  }

  hasChanges(): boolean {
    return this.all.some((projection) => projection.hasChanges());
  }

  /** The initiatives the next flush renders without knowing their title and the rest: their stored documents are needed. */
  initiativesToLookUp(): string[] {
    return this.initiatives.toLookUp();
  }

  /** `previous`: the stored documents of the initiatives `initiativesToLookUp()` named. */
  flush(previous: PreviousInitiatives = new Map()): ProjectionChanges {
    return this.take(previous, { progress: this.progress.flush(), units: this.units.flush() });
  }

  /**
   * During a bulk load: the initiatives and programmes changed since the last flush (their
   * descriptions must not pile up in memory), while the figures' documents — progress rows and
   * units, rewritten by almost every batch — are left for `flushFigures` once the log is read.
   */
  flushDescriptions(previous: PreviousInitiatives = new Map()): ProjectionChanges {
    return this.take(previous, { progress: [], units: [] });
  }

  /**
   * The end of a bulk load: every progress row and unit document, each rendered once, in chunks of
   * at most `chunk` documents so that memory holds one chunk, not the programme.
   */
  *flushFigures(chunk: number): Generator<ProjectionChanges> {
    for (const progress of this.progress.everyRow(chunk)) yield { progress, units: [], initiatives: [], programs: [] };
    for (const units of this.units.everyDocument(chunk)) yield { progress: [], units, initiatives: [], programs: [] };
  }

  /** Forgets what changed since the last flush (for replays that read figures, not documents). */
  discardChanges(): void {
    this.forgetDescriptions();
    this.initiatives.forgetPaths();
    this.progress.takeJournal();
  }

  /**
   * For replays that compare with stored documents in bounded memory: the pending documents and what
   * the events said of titles, authors and other descriptive text are let go (page by page), so that
   * documents are rendered over the stored ones' descriptive fields; the figures and paths stay the
   * replay's own.
   */
  forgetDescriptions(): void {
    for (const projection of this.all) projection.discard();
  }

  /**
   * For replays that read figures and nothing else, between pages: what changed is forgotten, and
   * the initiative nodes beyond the bound are let go (each is given back from its stream before its
   * next event), so that memory holds the figures and the hot nodes, not the log.
   */
  keepFiguresOnly(): void {
    this.discardChanges();
    this.state.trimInitiatives();
  }

  /** Every document of the read models, as of now (for a store that is being filled from scratch). */
  markEverythingDirty(): void {
    for (const projection of this.all) projection.markEverythingDirty();
  }

  /** The journal's lines since the last flush (or take), handed over once; undefined when none is kept. */
  takeJournal(): JournalChanges | undefined {
    return this.progress.takeJournal();
  }

  // ---- what replays ask across the read models ----

  /** How many documents of each read model the projections stand for. */
  documentCounts(): { programs: number; units: number; initiatives: number; progress: number } {
    const rowsPerUnit = [...this.state.programEntries()].reduce((n, p) => n + p.rules.phases.length + 1, 0);
    let initiatives = 0;
    for (const ids of this.state.initiativeIdsByUnit()) initiatives += ids.length;
    return { programs: this.state.programCount, units: this.state.unitCount, initiatives, progress: rowsPerUnit * this.state.unitCount };
  }

  /** The initiatives whose nodes are in memory beyond `bound` (default: the limit), least recently changed first. */
  initiativesBeyond(bound?: number): string[] {
    return this.state.initiativesBeyond(bound);
  }

  /** Whether the log has the initiative, looked for first among the initiatives of `unitId`. */
  knowsInitiative(initiativeId: string, unitId: string): boolean {
    return this.state.knowsInitiative(initiativeId, unitId);
  }

  /** The batch's documents (with the figures' ones given), then the batch forgotten and memory trimmed. */
  private take(previous: PreviousInitiatives, figures: Pick<ProjectionChanges, 'progress' | 'units'>): ProjectionChanges {
    const changes: ProjectionChanges = {
      ...figures,
      initiatives: this.initiatives.flush(previous),
      programs: this.programs.flush(),
      journal: this.takeJournal(),
    };
    this.discardChanges();
    this.state.trimInitiatives();
    return changes;
  }
}

/** The events of an initiative after its submission: they need its node. */
const LATER_INITIATIVE_EVENTS: ReadonlySet<string> = new Set(INITIATIVE_EVENT_TYPES.filter((type) => type !== 'InitiativeSubmitted'));
