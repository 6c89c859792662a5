import { InitiativeDoc } from '../initiatives/initiative-doc';
import { ProgressRow } from '../progress/progress-row';
import { ProgressQuery } from '../progress/progress-queries.port';

/**
 * The sort key of a progress row for a sort order, as one comparable value. Both adapters use it,
 * so they order (and page) identically. A row without attainment (quota 0) sorts below every other;
 * a unit that has not reached its quota sorts after every date.
 */
export function progressSortValue(row: ProgressRow, sort: ProgressQuery['sort']): string | number {
  switch (sort) {
    case 'unitId':
      return '';
    case 'attainmentPercent':
    case '-attainmentPercent':
      return row.attainmentPercent ?? -1;
    case 'counted':
    case '-counted':
      return row.counted;
    case 'excess':
    case '-excess':
      return row.excess;
    case 'reachedQuotaOn':
      return row.reachedQuotaOn ?? '9999-12-31';
  }
}

export function isDescending(sort: ProgressQuery['sort']): boolean {
  return sort.startsWith('-');
}

/** Newest submissions first. */
export function initiativeSortValue(doc: InitiativeDoc): string {
  return doc.submittedAt;
}
