import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { notFound } from '@app/domain';
import { UnitDoc } from '@app/read-models';
import { ReadSide } from '../../read-models/read-side';

export class GetUnitQuery {
  constructor(
    readonly unitId: string,
    readonly minPosition?: string,
  ) {}
}

@QueryHandler(GetUnitQuery)
export class GetUnitHandler implements IQueryHandler<GetUnitQuery, UnitDoc & { position: string }> {
  constructor(private readonly readSide: ReadSide) {}

  async execute({ unitId, minPosition }: GetUnitQuery): Promise<UnitDoc & { position: string }> {
    const position = await this.readSide.positionAtLeast(minPosition);
    const unit = await this.readSide.store.unit(unitId);
    if (!unit) throw notFound('Unit', unitId);
    return { ...unit, position };
  }
}
