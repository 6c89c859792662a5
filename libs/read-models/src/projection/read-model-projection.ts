import { AnyDomainEvent, DomainEventType } from '@app/domain';
import { StateChange } from './programme-state';

/** An event as a projection takes it: decoded once by the runner, position and raw form beside. */
export interface ProjectedEvent {
  type: string;
  data: Record<string, unknown>;
  position: bigint;
  metadata?: { schemaVersion?: number };
}

/**
 * The projection of one read model (progress, units, initiatives, programmes): which events change
 * its documents, what each does to them, and the documents changed since its last flush. It reads
 * the shared programme state (see ProgrammeState) and keeps only what its documents need beyond it.
 *
 * Documents are whole, so writing them again after a crash changes nothing.
 */
export interface ReadModelProjection<Doc> {
  /** The event types that change its documents; the runner gives it no other. */
  readonly handles: ReadonlySet<DomainEventType>;
  /** Before the shared state takes the event: what the projection must see of the state as it was. */
  prepare?(e: AnyDomainEvent, event: ProjectedEvent): void;
  /** After the state took the event (and `apply`, when it changed the state): what the projection noted in `prepare` is settled. */
  settle?(e: AnyDomainEvent, event: ProjectedEvent): void;
  apply(e: AnyDomainEvent, change: StateChange, event: ProjectedEvent): void;
  hasChanges(): boolean;
  /** Its stored documents the next flush renders over (what it does not hold in memory), by id. */
  toLookUp?(): string[];
  /** The documents changed since the last flush, each whole; `stored`: the documents `toLookUp` named. */
  flush(stored: ReadonlyMap<string, Doc>): Doc[];
  /** Forgets what changed since the last flush. */
  discard(): void;
  /** Every document of the read model, at the next flush. */
  markEverythingDirty(): void;
}
