import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { notFound } from '@app/domain';
import { READ_MODEL_STORE, UnitDoc, UnitQueries } from '@app/read-models';
import { ReadSide } from '../../read-models/read-side';

export interface UnitList {
  items: UnitDoc[];
  nextCursor: string | null;
  position: string;
}

export class ListChildrenQuery {
  constructor(
    readonly unitId: string,
    readonly limit: number,
    readonly cursor?: string,
    readonly minPosition?: string,
  ) {}
}

@QueryHandler(ListChildrenQuery)
export class ListChildrenHandler implements IQueryHandler<ListChildrenQuery, UnitList> {
  constructor(
    private readonly readSide: ReadSide,
    @Inject(READ_MODEL_STORE) private readonly units: UnitQueries,
  ) {}

  async execute({ unitId, limit, cursor, minPosition }: ListChildrenQuery): Promise<UnitList> {
    const position = await this.readSide.positionAtLeast(minPosition);
    if (!(await this.units.unit(unitId))) throw notFound('Unit', unitId);
    return { ...(await this.units.children(unitId, limit, cursor)), position };
  }
}
