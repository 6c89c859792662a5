import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InitiativeDoc, InitiativeQuery } from '@app/read-models';
import { ReadSide } from '../../read-models/read-side';

export interface InitiativeList {
  items: InitiativeDoc[];
  nextCursor: string | null;
  position: string;
}

export class ListInitiativesQuery {
  constructor(
    readonly query: InitiativeQuery,
    readonly minPosition?: string,
  ) {}
}

@QueryHandler(ListInitiativesQuery)
export class ListInitiativesHandler implements IQueryHandler<ListInitiativesQuery, InitiativeList> {
  constructor(private readonly readSide: ReadSide) {}

  async execute({ query, minPosition }: ListInitiativesQuery): Promise<InitiativeList> {
    const position = await this.readSide.positionAtLeast(minPosition);
    return { ...(await this.readSide.store.initiatives(query)), position };
  }
}
