import { Injectable } from '@nestjs/common';
import { programDecider, ProgramState, streams, TreeContext, unitDecider, UnitState } from '@app/domain';
import { Aggregates } from './aggregates';

/** Tree depth is 3–4 in practice; the bound only guards against a corrupted (cyclic) history. */
const MAX_TREE_DEPTH = 64;

/** Reads the other aggregates a command's rules depend on (a unit's parent, an initiative's programme). */
@Injectable()
export class Lookups {
  constructor(private readonly aggregates: Aggregates) {}

  async program(programId: string): Promise<ProgramState> {
    return (await this.aggregates.load(programDecider, streams.program(programId))).state;
  }

  async unit(unitId: string): Promise<UnitState> {
    return (await this.aggregates.load(unitDecider, streams.unit(unitId))).state;
  }

  /** What placing a unit under `unitId` depends on: that unit's state and the ids of its ancestors, nearest first. */
  async treeContext(unitId: string): Promise<TreeContext> {
    const unit = await this.unit(unitId);
    const ancestorIds: string[] = [];
    let parentId = unit.status === 'none' ? null : unit.parentId;
    while (parentId !== null && ancestorIds.length < MAX_TREE_DEPTH && !ancestorIds.includes(parentId)) {
      ancestorIds.push(parentId);
      const parent = await this.unit(parentId);
      parentId = parent.status === 'none' ? null : parent.parentId;
    }
    return { parent: unit, parentAncestorIds: ancestorIds };
  }
}
