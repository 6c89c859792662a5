import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { notFound } from '@app/domain';
import { ProgressRow, WHOLE_PROGRAM_KEY } from '@app/read-models';
import { ReadSide, RulesStamp } from '../../read-models/read-side';

export interface UnitProgress extends RulesStamp {
  programId: string;
  unitId: string;
  /** One row per phase in programme order, then the whole programme ('all'). */
  items: ProgressRow[];
  nextCursor: null;
  position: string;
}

export class GetUnitProgressQuery {
  constructor(
    readonly unitId: string,
    readonly programId: string,
    readonly minPosition?: string,
  ) {}
}

@QueryHandler(GetUnitProgressQuery)
export class GetUnitProgressHandler implements IQueryHandler<GetUnitProgressQuery, UnitProgress> {
  constructor(private readonly readSide: ReadSide) {}

  async execute({ unitId, programId, minPosition }: GetUnitProgressQuery): Promise<UnitProgress> {
    const position = await this.readSide.positionAtLeast(minPosition);
    const program = await this.readSide.program(programId);
    const rows = await this.readSide.store.unitProgress(programId, unitId);
    if (rows.length === 0) throw notFound('Unit', unitId);
    const order = [...program.phases.map((p) => p.id), WHOLE_PROGRAM_KEY];
    rows.sort((a, b) => order.indexOf(a.phaseId) - order.indexOf(b.phaseId));
    return { programId, unitId, items: rows, nextCursor: null, position, ...this.readSide.rules(program) };
  }
}
