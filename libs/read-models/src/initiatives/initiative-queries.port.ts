import { InitiativeStatus } from '@app/domain';
import { Page } from '../store/page';
import { InitiativeDoc } from './initiative-doc';

export interface InitiativeQuery {
  programId?: string;
  unitId?: string;
  /** With unitId: the whole subtree of that unit, not the unit alone. */
  subtree?: boolean;
  status?: InitiativeStatus;
  phaseId?: string;
  /** Words that must all appear in the title or authors, with or without diacritics. */
  q?: string;
  limit: number;
  cursor?: string;
}

/** The initiatives' read model, as queries (and the projector, re-rendering a batch) see it. */
export interface InitiativeQueries {
  initiative(initiativeId: string): Promise<InitiativeDoc | null>;
  /** The stored documents of these initiatives, those that exist, in no particular order (what a batch re-renders). */
  initiativesById(initiativeIds: readonly string[]): Promise<InitiativeDoc[]>;
  initiatives(query: InitiativeQuery): Promise<Page<InitiativeDoc>>;
}
