import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { notFound } from '@app/domain';
import { decodeCursor, encodeCursor, HistoryEntry, HistoryQueries, InvalidCursorError, READ_MODEL_STORE, UnitQueries } from '@app/read-models';
import { ReadSide, RulesStamp } from '../../read-models/read-side';

export interface UnitHistoryPage extends RulesStamp {
  programId: string;
  unitId: string;
  phaseId: string;
  subtree: boolean;
  items: HistoryEntry[];
  nextCursor: string | null;
  /** The read model's position, for comparing the last totals with the live progress row. */
  position: string;
}

export class GetUnitHistoryQuery {
  constructor(
    readonly unitId: string,
    readonly filter: { programId: string; phaseId?: string; subtree: boolean; from?: string; to?: string; limit: number; cursor?: string },
    readonly minPosition?: string,
  ) {}
}

/**
 * Every event that moved the unit's counted number, quota or benefit total, in log order, with
 * running totals: pages of the history journal the projector keeps (an index range, a province's
 * as cheap as a grassroots union's). The unit's verification replays the same from the log.
 */
@QueryHandler(GetUnitHistoryQuery)
export class GetUnitHistoryHandler implements IQueryHandler<GetUnitHistoryQuery, UnitHistoryPage> {
  constructor(
    private readonly readSide: ReadSide,
    @Inject(READ_MODEL_STORE) private readonly readModels: UnitQueries & HistoryQueries,
  ) {}

  async execute({ unitId, filter, minPosition }: GetUnitHistoryQuery): Promise<UnitHistoryPage> {
    const position = await this.readSide.positionAtLeast(minPosition);
    const program = await this.readSide.program(filter.programId);
    const phaseId = this.readSide.phaseKey(program, filter.phaseId);
    if (!(await this.readModels.unit(unitId))) throw notFound('Unit', unitId);
    const after = decodeCursor(filter.cursor);
    if (after && (after[0] !== 'history' || !/^\d+$/.test(after[1]))) throw new InvalidCursorError();
    // One more than the page: whether there is a next one.
    const found = await this.readModels.history({
      programId: program.programId,
      unitId,
      phaseId,
      subtree: filter.subtree,
      after: after ? BigInt(after[1]) : undefined,
      from: filter.from,
      to: filter.to,
      limit: filter.limit + 1,
    });
    const items = found.slice(0, filter.limit);
    const nextCursor = found.length > filter.limit ? encodeCursor(['history', items[items.length - 1].position]) : null;
    return { programId: program.programId, unitId, phaseId, subtree: filter.subtree, items, nextCursor, position, ...this.readSide.rules(program) };
  }
}
