import { Filter } from 'mongodb';
import { HistoryQuery } from '../../audit/history-journal';
import { foldDiacritics } from '../../initiatives/fold-diacritics';
import { InitiativeQuery } from '../../initiatives/initiative-queries.port';
import { ProgressQuery } from '../../progress/progress-queries.port';
import { checkCursorValue, decodeCursor } from '../cursor';
import { isDescending } from '../sort-keys';
import { paddedPosition, StoredDoc } from './mongo-collections';

// The filters and sorts the queries run. Every one is served by an index of mongo-indexes.ts (the
// index tests check it), which is built from the same sort fields.

/** A query's filter and sort. */
export interface MongoFind {
  filter: Filter<StoredDoc>;
  sort: Record<string, 1 | -1>;
}

/** Where each progress sort finds its value in a stored row (`null`: the sort is by unitId alone). */
export const PROGRESS_SORT_FIELDS: Record<ProgressQuery['sort'], string | null> = {
  unitId: null,
  attainmentPercent: '_sortAttainment',
  '-attainmentPercent': '_sortAttainment',
  counted: 'counted',
  '-counted': 'counted',
  excess: 'excess',
  '-excess': 'excess',
  reachedQuotaOn: '_sortReached',
};

/** Initiatives: newest submission first, ties by id descending (as the memory adapter). */
export const INITIATIVE_SORT = { submittedAt: -1, initiativeId: -1 } as const;

export function progressSortSpec(sort: ProgressQuery['sort']): Record<string, 1 | -1> {
  const field = PROGRESS_SORT_FIELDS[sort];
  return field === null ? { unitId: 1 } : { [field]: isDescending(sort) ? -1 : 1, unitId: 1 };
}

/** The filter and sort a progress query runs (exported for the index tests). */
export function progressFind(query: ProgressQuery): MongoFind {
  const filter: Filter<StoredDoc> = { programId: query.programId, phaseId: query.phaseId };
  if (query.parentId !== undefined) filter.parentId = query.parentId;
  if (query.kind !== undefined) filter.kind = query.kind;
  if (query.finishedEarly !== undefined) filter.finishedEarly = query.finishedEarly;
  const after = decodeCursor(query.cursor);
  const field = PROGRESS_SORT_FIELDS[query.sort];
  if (after) {
    const expected = field === null ? 'empty' : query.sort === 'reachedQuotaOn' ? 'string' : 'number';
    checkCursorValue(after, expected);
    const op = isDescending(query.sort) ? '$lt' : '$gt';
    filter.$or = field === null ? [{ unitId: { $gt: after[1] } }] : [{ [field]: { [op]: after[0] } }, { [field]: after[0], unitId: { $gt: after[1] } }];
  }
  return { filter, sort: progressSortSpec(query.sort) };
}

/** A unit's progress rows, by phase. */
export function unitProgressFind(programId: string, unitId: string): MongoFind {
  return { filter: { programId, unitId }, sort: { programId: 1, unitId: 1, phaseId: 1 } };
}

/** A page of a unit's children, by id. */
export function childrenFind(unitId: string, cursor: string | undefined): MongoFind {
  const filter: Filter<StoredDoc> = { parentId: unitId };
  const after = decodeCursor(cursor);
  if (after) {
    checkCursorValue(after, 'empty');
    filter.unitId = { $gt: after[1] };
  }
  return { filter, sort: { parentId: 1, unitId: 1 } };
}

/** The filter and sort an initiatives query runs (exported for the index tests). */
export function initiativesFind(query: InitiativeQuery): MongoFind {
  const filter: Filter<StoredDoc> = {};
  if (query.programId !== undefined) filter.programId = query.programId;
  if (query.unitId !== undefined) {
    if (query.subtree) filter.unitPath = query.unitId;
    else filter.unitId = query.unitId;
  }
  if (query.status !== undefined) filter.status = query.status;
  if (query.phaseId !== undefined) filter.phaseId = query.phaseId;
  const and: Filter<StoredDoc>[] = [];
  // Each folded word must occur in searchText, literally: regex metacharacters are escaped.
  const words = query.q ? foldDiacritics(query.q).split(' ').filter(Boolean) : [];
  for (const word of words) and.push({ searchText: { $regex: escapeRegExp(word) } });
  const after = decodeCursor(query.cursor);
  if (after) {
    checkCursorValue(after, 'string');
    and.push({ $or: [{ submittedAt: { $lt: after[0] } }, { submittedAt: after[0], initiativeId: { $lt: after[1] } }] });
  }
  if (and.length > 0) filter.$and = and;
  return { filter, sort: { ...INITIATIVE_SORT } };
}

/** The journal documents of a unit that may hold entries after `query.after`: a range of `_id` (see the stored shapes). */
export function journalFind(query: HistoryQuery): MongoFind {
  const prefix = `${query.programId}|${query.unitId}|`;
  return { filter: { _id: { $gte: prefix, $lt: `${prefix}~` }, last: { $gt: paddedPosition(query.after ?? -1n) } }, sort: { _id: 1 } };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
