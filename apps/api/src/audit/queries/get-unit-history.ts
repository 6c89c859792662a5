import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { localDateOf, notFound, ProgramRules } from '@app/domain';
import { decodeCursor, encodeCursor, HistoryEntry, InvalidCursorError, unitStreams } from '@app/read-models';
import { ReadSide, RulesStamp } from '../../read-models/read-side';
import { HistoryService } from '../history.service';

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

/** Every event that moved the unit's counted number, quota or benefit total, in log order, with running totals. */
@QueryHandler(GetUnitHistoryQuery)
export class GetUnitHistoryHandler implements IQueryHandler<GetUnitHistoryQuery, UnitHistoryPage> {
  constructor(
    private readonly readSide: ReadSide,
    private readonly history: HistoryService,
  ) {}

  async execute({ unitId, filter, minPosition }: GetUnitHistoryQuery): Promise<UnitHistoryPage> {
    const position = await this.readSide.positionAtLeast(minPosition);
    const program = await this.readSide.program(filter.programId);
    const phaseId = this.readSide.phaseKey(program, filter.phaseId);
    if (!(await this.readSide.store.unit(unitId))) throw notFound('Unit', unitId);
    const { programId, name, phases, eligibility, targetPercent, countingRule, rulesVersion } = program;
    const rules = new Map([[programId, { programId, name, phases, eligibility, targetPercent, countingRule, rulesVersion } as ProgramRules]]);
    const after = decodeCursor(filter.cursor);
    if (after && (after[0] !== 'history' || !/^\d+$/.test(after[1]))) throw new InvalidCursorError();
    const afterPosition = after ? BigInt(after[1]) : -1n;
    // The read model says which streams concern the unit (everything ever in its subtree); the figures are replayed from them.
    const relevant = await unitStreams(this.readSide.store, programId, unitId);
    const journal = await this.history.journal({ programId, unitId, phaseId, subtree: filter.subtree, rules, streams: relevant }, rulesVersion, after ? afterPosition : undefined);
    const selected = journal.filter((e) => {
      const day = localDateOf(e.recordedAt);
      return BigInt(e.position) > afterPosition && (!filter.from || day >= filter.from) && (!filter.to || day <= filter.to);
    });
    const items = selected.slice(0, filter.limit);
    const nextCursor = selected.length > filter.limit ? encodeCursor(['history', items[items.length - 1].position]) : null;
    return { programId, unitId, phaseId, subtree: filter.subtree, items, nextCursor, position, ...this.readSide.rules(program) };
  }
}
