import { TreeContext } from './unit.commands';
import { UnitEvent } from './unit.events';
import { evolveUnit, ExistingUnit, membersOn, UnitState } from './unit.state';
import { LocalDate } from '../shared/local-date';

/** Tree depth is 3–4 in practice; the bound only guards against a corrupted (cyclic) history. */
const MAX_TREE_DEPTH = 64;

/**
 * Every unit's state and who sits under whom, folded from the units' events: what a whole plan of
 * tree changes is checked against step by step, without asking the store about each unit. A merged
 * unit sits under the unit it merged into, as in the read models (its history counts there).
 */
export class UnitTree {
  private readonly units = new Map<string, ExistingUnit>();
  private readonly children = new Map<string, Set<string>>();

  static of(events: Iterable<UnitEvent>): UnitTree {
    const tree = new UnitTree();
    for (const event of events) tree.apply(event);
    return tree;
  }

  apply(event: UnitEvent): void {
    const before = this.units.get(event.data.unitId);
    const after = evolveUnit(before ?? { status: 'none' }, event);
    if (after.status === 'none') return;
    if (before?.parentId !== after.parentId) {
      if (before?.parentId) this.children.get(before.parentId)?.delete(after.unitId);
      if (after.parentId !== null) this.childrenOf(after.parentId).add(after.unitId);
    }
    this.units.set(after.unitId, after);
  }

  /** A copy that later changes leave this one as it was (the tree before a plan, beside the tree after). */
  clone(): UnitTree {
    const copy = new UnitTree();
    for (const [id, unit] of this.units) copy.units.set(id, unit);
    for (const [id, set] of this.children) copy.children.set(id, new Set(set));
    return copy;
  }

  get(unitId: string): UnitState {
    return this.units.get(unitId) ?? { status: 'none' };
  }

  all(): IterableIterator<ExistingUnit> {
    return this.units.values();
  }

  /** What placing a unit under `unitId` depends on, as the unit command handler looks it up in the store. */
  treeContext(unitId: string): TreeContext {
    const ancestorIds: string[] = [];
    let parentId = this.units.get(unitId)?.parentId ?? null;
    while (parentId !== null && ancestorIds.length < MAX_TREE_DEPTH && !ancestorIds.includes(parentId)) {
      ancestorIds.push(parentId);
      parentId = this.units.get(parentId)?.parentId ?? null;
    }
    return { parent: this.get(unitId), parentAncestorIds: ancestorIds };
  }

  activeChildIds(unitId: string, max = 20): string[] {
    const found: string[] = [];
    for (const id of this.children.get(unitId) ?? []) {
      if (this.units.get(id)?.status === 'active') found.push(id);
      if (found.length >= max) break;
    }
    return found.sort();
  }

  /** Members in force on a date over a unit's subtree, counting active units only (a merged or closed unit has none left). */
  subtreeMembers(unitId: string, date: LocalDate): number {
    let total = 0;
    const stack = [unitId];
    const seen = new Set<string>();
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const unit = this.units.get(id);
      if (unit?.status === 'active') total += membersOn(unit.memberCounts, date);
      stack.push(...(this.children.get(id) ?? []));
    }
    return total;
  }

  private childrenOf(unitId: string): Set<string> {
    let set = this.children.get(unitId);
    if (!set) this.children.set(unitId, (set = new Set()));
    return set;
  }
}
