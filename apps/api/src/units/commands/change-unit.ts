import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { asLocalDate, localDateOf, streams, UnitCommand, unitDecider } from '@app/domain';
import { AggregateStore, CommandContext } from '@app/event-store';
import { commandResponse, CommandResponse } from '../../common/command-response';
import { Lookups } from '../../common/lookups';
import { ActiveChildren } from '../active-children';

/** A change to an existing unit: its member count, its place in the tree, or its end. */
export type UnitChange =
  | { type: 'RecordMemberCount'; memberCount: number; effectiveOn: string }
  | { type: 'MoveUnit'; toParentId: string; effectiveOn?: string; documentRef?: string }
  | { type: 'MergeUnit'; intoUnitId: string; effectiveOn?: string; documentRef?: string }
  | { type: 'CloseUnit'; effectiveOn?: string; documentRef?: string; reason?: string };

export class ChangeUnitCommand {
  constructor(
    readonly unitId: string,
    readonly change: UnitChange,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(ChangeUnitCommand)
export class ChangeUnitHandler implements ICommandHandler<ChangeUnitCommand, CommandResponse> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly lookups: Lookups,
    private readonly activeChildren: ActiveChildren,
  ) {}

  async execute({ unitId, change, context }: ChangeUnitCommand): Promise<CommandResponse> {
    const command = await this.toCommand(unitId, change, context);
    const result = await this.aggregates.handle(unitDecider, streams.unit(unitId), command, context, {
      mustExist: { what: 'Unit', id: unitId },
    });
    return commandResponse(unitId, result);
  }

  private async toCommand(unitId: string, change: UnitChange, context: CommandContext): Promise<UnitCommand> {
    const effectiveOn = asLocalDate(change.effectiveOn ?? localDateOf(context.now));
    const documentRef = 'documentRef' in change ? (change.documentRef ?? null) : null;
    switch (change.type) {
      case 'RecordMemberCount':
        return { type: 'RecordMemberCount', memberCount: change.memberCount, effectiveOn };
      case 'MoveUnit': {
        const { unit: parent, ancestorIds } = await this.lookups.unitWithAncestors(change.toParentId);
        return { type: 'MoveUnit', toParentId: change.toParentId, parent, parentAncestorIds: ancestorIds, effectiveOn, documentRef };
      }
      case 'MergeUnit': {
        const { unit: parent, ancestorIds } = await this.lookups.unitWithAncestors(change.intoUnitId);
        return { type: 'MergeUnit', intoUnitId: change.intoUnitId, parent, parentAncestorIds: ancestorIds, effectiveOn, documentRef };
      }
      case 'CloseUnit':
        return { type: 'CloseUnit', effectiveOn, documentRef, reason: change.reason ?? null, activeChildIds: await this.activeChildren.of(unitId) };
    }
  }
}
