import { UnitKind } from '@app/domain';

/**
 * A row of the `progress` read model: one per (programme, unit, phase) and per (programme, unit,
 * whole programme, `phaseId: 'all'`). Top-level figures are the unit's whole subtree; `own` the unit
 * alone. The field names are a public contract: clients outside this repository read them.
 */
export interface ProgressRow {
  programId: string;
  unitId: string;
  phaseId: string;
  quota: number;
  /** 'assigned' by a higher unit's letter, or the 'default' from members × target %. */
  quotaSource: 'assigned' | 'default';
  submitted: number;
  approved: number;
  pending: number;
  rejected: number;
  withdrawn: number;
  counted: number;
  attainmentPercent: number | null;
  excess: number;
  /** Whole VND, a string of digits. */
  benefitValue: string;
  reachedQuotaOn: string | null;
  /** reachedQuotaOn is before the end of the phase (or of the programme, for 'all'). */
  finishedEarly: boolean;
  own: { submitted: number; approved: number; counted: number; benefitValue: string };
  unitName: string;
  kind: UnitKind;
  parentId: string | null;
  /** Ancestors from the root down to the unit itself. */
  path: string[];
  /** The programme's rules version these figures were computed under. */
  rulesVersion: number;
}

export const PROGRESS_SORTS = ['unitId', 'attainmentPercent', '-attainmentPercent', 'counted', '-counted', 'excess', '-excess'] as const;
export type ProgressSort = (typeof PROGRESS_SORTS)[number];
