import { Injectable } from '@nestjs/common';
import { initiativeDecider, streams } from '@app/domain';
import { Aggregates } from '../common/aggregates';
import { Lookups } from '../common/lookups';

/** Units' places in the tree read from their streams in the event store, not from the (lagging) read model. */
@Injectable()
export class UnitPaths {
  constructor(
    private readonly lookups: Lookups,
    private readonly aggregates: Aggregates,
  ) {}

  /** The unit and its ancestors; a unit that does not exist is only itself. */
  async including(unitId: string): Promise<string[]> {
    return [unitId, ...(await this.above(unitId))];
  }

  async above(unitId: string): Promise<string[]> {
    const { parent, parentAncestorIds } = await this.lookups.treeContext(unitId);
    return parent.status === 'none' ? [] : parentAncestorIds;
  }

  /** An initiative that does not exist is nowhere: only a role held everywhere reaches it (and answers 404). */
  async ofInitiative(initiativeId: string): Promise<string[]> {
    const { state } = await this.aggregates.load(initiativeDecider, streams.initiative(initiativeId));
    return state.status === 'none' ? [] : this.including(state.unitId);
  }
}
