import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { notFound } from '@app/domain';
import { UnitDoc } from '@app/read-models';
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
  constructor(private readonly readSide: ReadSide) {}

  async execute({ unitId, limit, cursor, minPosition }: ListChildrenQuery): Promise<UnitList> {
    const position = await this.readSide.positionAtLeast(minPosition);
    if (!(await this.readSide.store.unit(unitId))) throw notFound('Unit', unitId);
    return { ...(await this.readSide.store.children(unitId, limit, cursor)), position };
  }
}
