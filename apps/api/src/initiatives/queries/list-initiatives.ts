import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InitiativeDoc, InitiativeQueries, InitiativeQuery, READ_MODEL_STORE } from '@app/read-models';
import { ReadSide } from '../../read-models/read-side';
import { ApiInitiativeStatus, withApiStatus } from '../initiative-status';

export interface InitiativeList {
  items: (Omit<InitiativeDoc, 'status'> & { status: ApiInitiativeStatus })[];
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
  constructor(
    private readonly readSide: ReadSide,
    @Inject(READ_MODEL_STORE) private readonly initiatives: InitiativeQueries,
  ) {}

  async execute({ query, minPosition }: ListInitiativesQuery): Promise<InitiativeList> {
    const position = await this.readSide.positionAtLeast(minPosition);
    const page = await this.initiatives.initiatives(query);
    return { ...page, items: page.items.map(withApiStatus), position };
  }
}
