import { ACCESS_EVENT_TYPES, DOMAIN_EVENT_TYPES, PERSONAL_DATA_ERASED, ProgramRules, REORGANISATION_EVENT_TYPES } from '@app/domain';
import { BOOKKEEPING_EVENT_TYPES, EventStore, LOG_SEALED, StoredEvent } from '@app/event-store';
import { InitiativeQueries } from '../initiatives/initiative-queries.port';
import { rerenderErasedAuthors } from '../projection/erased-authors';
import { giveBackNode } from '../projection/initiative-node';
import { INITIATIVES_IN_MEMORY, ProjectionChanges, ProjectionLimits, ReadModelProjections } from '../projection/read-model-projections';
import { restoreProjectionState, saveProjectionState, SavedProjectionState } from '../projection/projection-state';
import { ReadModelWriter } from '../store/read-model-writer.port';
import { ProjectorLease } from './projector-lease.port';
import { Projection, ProjectionSource } from './projection.port';
import { Projector, ProjectorOptions } from './projector';

export interface ProgrammeProjectorOptions extends ProjectorOptions {
  /** The rules to count under (a rebuild under today's rules); default: each programme's rules at launch. */
  fixedRules?: ReadonlyMap<string, ProgramRules>;
  /**
   * Initiatives whose figures' state stays in memory between batches (default 100,000, the most
   * recently changed): the others are folded again from their own stream when an event of theirs
   * comes, so memory does not grow with the million initiatives of the programme.
   */
  initiativesInMemory?: number;
}

export type ProgrammeReadModelWriter = ReadModelWriter<ProjectionChanges> & Pick<InitiativeQueries, 'initiativesById'>;

/**
 * The programme's events, and the service's own bookkeeping, access, reorganisation, erasure and
 * seal events: those count nothing (an erasure re-renders names) but carry the checkpoint along to
 * the head of the log, so that any position a command answered can be waited for.
 */
export const PROGRAMME_FOLLOWED_EVENT_TYPES: readonly string[] = [...DOMAIN_EVENT_TYPES, ...BOOKKEEPING_EVENT_TYPES, ...ACCESS_EVENT_TYPES, ...REORGANISATION_EVENT_TYPES, PERSONAL_DATA_ERASED, LOG_SEALED];

/** The projector of the programme's read models (progress, units, initiatives, programmes, the history journal). */
export function programmeProjector(events: EventStore, store: ProgrammeReadModelWriter, lease: ProjectorLease, options: ProgrammeProjectorOptions = {}): Projector<ProjectionChanges> {
  return new Projector(events, store, lease, programmeProjection(events, store, options), options);
}

export function programmeProjection(events: EventStore, store: Pick<InitiativeQueries, 'initiativesById'>, options: Pick<ProgrammeProjectorOptions, 'fixedRules' | 'initiativesInMemory'> = {}): ProjectionSource<ProjectionChanges> {
  const limits: ProjectionLimits = { initiativesInMemory: options.initiativesInMemory ?? INITIATIVES_IN_MEMORY, journal: true };
  const run = (projections: ReadModelProjections) => new ProgrammeProjectionRun(events, store, projections);
  return {
    eventTypes: PROGRAMME_FOLLOWED_EVENT_TYPES,
    nothing: { progress: [], units: [], initiatives: [], programs: [] },
    fresh: () => run(new ReadModelProjections(options.fixedRules, limits)),
    restore: (saved, checkpoint) => run(restoreProjectionState(saved, checkpoint, options.fixedRules, limits)),
  };
}

/** The read models' projections as the projector runs them: nodes let go are folded back from their stream, erasures re-render names. */
class ProgrammeProjectionRun implements Projection<ProjectionChanges> {
  constructor(
    private readonly events: EventStore,
    private readonly store: Pick<InitiativeQueries, 'initiativesById'>,
    private readonly projections: ReadModelProjections,
  ) {}

  get position(): bigint {
    return this.projections.position;
  }

  async apply(event: StoredEvent): Promise<void> {
    await giveBackNode(this.events, this.projections, event);
    this.projections.apply(event);
    if (event.type === PERSONAL_DATA_ERASED) await rerenderErasedAuthors(this.events, this.projections, event);
  }

  hasChanges(): boolean {
    return this.projections.hasChanges();
  }

  async flush(bulk: boolean): Promise<ProjectionChanges> {
    const lookUp = this.projections.initiativesToLookUp();
    const previous = new Map((lookUp.length > 0 ? await this.store.initiativesById(lookUp) : []).map((doc) => [doc.initiativeId, doc]));
    return bulk ? this.projections.flushDescriptions(previous) : this.projections.flush(previous);
  }

  deferred(chunk: number): Iterable<ProjectionChanges> {
    return this.projections.flushFigures(chunk);
  }

  discardChanges(): void {
    this.projections.discardChanges();
  }

  saveState(): SavedProjectionState {
    return saveProjectionState(this.projections);
  }
}
