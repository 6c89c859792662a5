import { UnitKind } from '@app/domain';
import { Page } from '../store/page';
import { ProgressRow, ProgressSort } from './progress-row';

export interface ProgressQuery {
  programId: string;
  phaseId: string;
  /** Direct children of this unit. */
  parentId?: string;
  kind?: UnitKind;
  /** Only units whose reachedQuotaOn is before the end of the phase. */
  finishedEarly?: boolean;
  sort: ProgressSort | 'reachedQuotaOn';
  limit: number;
  cursor?: string;
}

/** The progress rows' read model, as queries see it. */
export interface ProgressQueries {
  progress(query: ProgressQuery): Promise<Page<ProgressRow>>;
  /** A unit's rows, ordered by phase id (callers order them by the programme's phases). */
  unitProgress(programId: string, unitId: string): Promise<ProgressRow[]>;
}
