import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { notFound } from '@app/domain';
import { READ_MODEL_STORE, UnitDoc, UnitQueries } from '@app/read-models';
import { ReadSide } from '../../read-models/read-side';

export class GetUnitQuery {
  constructor(
    readonly unitId: string,
    readonly minPosition?: string,
  ) {}
}

@QueryHandler(GetUnitQuery)
export class GetUnitHandler implements IQueryHandler<GetUnitQuery, UnitDoc & { position: string }> {
  constructor(
    private readonly readSide: ReadSide,
    @Inject(READ_MODEL_STORE) private readonly units: UnitQueries,
  ) {}

  async execute({ unitId, minPosition }: GetUnitQuery): Promise<UnitDoc & { position: string }> {
    const position = await this.readSide.positionAtLeast(minPosition);
    const unit = await this.units.unit(unitId);
    if (!unit) throw notFound('Unit', unitId);
    return { ...unit, position };
  }
}
