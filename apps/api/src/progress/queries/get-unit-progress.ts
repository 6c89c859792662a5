import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { notFound, WHOLE_PROGRAM_KEY } from '@app/domain';
import { EVENT_STORE, EventStore } from '@app/event-store';
import { HistoryQueries, ProgressQueries, ProgressRow, progressThen, READ_MODEL_STORE, Then, UnitQueries, unitStreams } from '@app/read-models';
import { ProblemException } from '../../common/problem';
import { validationProblem } from '../../common/problem.filter';
import { ReadSide, RulesStamp } from '../../read-models/read-side';

export interface UnitProgress extends RulesStamp {
  programId: string;
  unitId: string;
  /** One row per phase in programme order, then the whole programme ('all'). */
  items: ProgressRow[];
  nextCursor: null;
  position: string;
  /** Present when the figures were replayed for another moment than now. */
  then?: { asOf?: string; on?: string; rules: 'then' | 'current' };
}

export class GetUnitProgressQuery {
  constructor(
    readonly unitId: string,
    readonly programId: string,
    readonly minPosition?: string,
    readonly then?: { asOf?: string; on?: string; rules?: 'then' | 'current' },
  ) {}
}

/**
 * A unit's rows now (from the read model), or then: replayed from the event store as recorded by a
 * position or an instant (`asOf`), or on a business date as known today (`on`).
 */
@QueryHandler(GetUnitProgressQuery)
export class GetUnitProgressHandler implements IQueryHandler<GetUnitProgressQuery, UnitProgress> {
  constructor(
    private readonly readSide: ReadSide,
    @Inject(READ_MODEL_STORE) private readonly readModels: ProgressQueries & UnitQueries & HistoryQueries,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  async execute({ unitId, programId, minPosition, then }: GetUnitProgressQuery): Promise<UnitProgress> {
    const position = await this.readSide.positionAtLeast(minPosition);
    const program = await this.readSide.program(programId);
    const order = [...program.phases.map((p) => p.id), WHOLE_PROGRAM_KEY];
    const byPhase = (rows: ProgressRow[]) => rows.sort((a, b) => order.indexOf(a.phaseId) - order.indexOf(b.phaseId));
    if (then && (then.asOf !== undefined || then.on !== undefined)) {
      if (then.asOf !== undefined && then.on !== undefined) {
        throw new ProblemException(validationProblem([{ field: 'on', message: 'ask for asOf (as recorded) or on (by business date), not both' }]));
      }
      const moment: Then =
        then.on !== undefined ? { kind: 'businessDate', date: then.on } : /^\d+$/.test(then.asOf!) ? { kind: 'recorded', position: BigInt(then.asOf!) } : { kind: 'recorded', instant: then.asOf! };
      const rules = then.rules ?? 'then';
      const replayed = await progressThen(this.events, programId, unitId, moment, rules, await unitStreams(this.readModels, programId, unitId));
      if (!replayed || replayed.rows.length === 0) throw notFound('Unit', unitId);
      return {
        programId,
        unitId,
        items: byPhase(replayed.rows),
        nextCursor: null,
        position: replayed.position.toString(),
        rulesVersion: replayed.rulesVersion,
        stale: false,
        then: { ...(then.asOf !== undefined ? { asOf: then.asOf } : { on: then.on }), rules },
      };
    }
    const rows = await this.readModels.unitProgress(programId, unitId);
    if (rows.length === 0) throw notFound('Unit', unitId);
    return { programId, unitId, items: byPhase(rows), nextCursor: null, position, ...this.readSide.rules(program) };
  }
}
