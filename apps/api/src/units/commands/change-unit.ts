import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { asLocalDate, localDateOf, streams, UnitCommand, unitDecider, notFound } from '@app/domain';
import { CommandContext } from '@app/event-store';
import { commandResponse, CommandResponse } from '../../common/command-response';
import { Lookups } from '../../common/lookups';
import { Aggregates } from '../../common/aggregates';

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
    private readonly aggregates: Aggregates,
    private readonly lookups: Lookups,
  ) {}

  async execute({ unitId, change, context }: ChangeUnitCommand): Promise<CommandResponse> {
    // A move or a merge decides on other units' places: it is guarded by the tree's stream, and looks them up only after reading it.
    const reshapes = change.type === 'MoveUnit' || change.type === 'MergeUnit';
    const result = await this.aggregates.handle(unitDecider, streams.unit(unitId), () => this.toCommand(change, context), context, {
      mustExist: () => notFound('Unit', unitId),
      ...(reshapes ? { guard: streams.unitTree() } : {}),
    });
    return commandResponse(unitId, result);
  }

  private async toCommand(change: UnitChange, context: CommandContext): Promise<UnitCommand> {
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
        return { type: 'CloseUnit', effectiveOn, documentRef, reason: change.reason ?? null };
    }
  }
}
