import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { notFound, streams, UnitCommand, unitDecider, UnitRequest } from '@app/domain';
import { CommandContext, Guard } from '@app/event-store';
import { Aggregates } from '../../common/aggregates';
import { commandResponse, CommandResponse } from '../../common/command-response';
import { Lookups } from '../../common/lookups';
import { ActiveChildren } from '../active-children';
import { unitContentsGuard } from '../unit-contents-guard';

/** Any command on a unit, as the domain states it; the handler adds what it looks up about the other units. */
export class UnitCommandMessage {
  constructor(
    readonly unitId: string,
    readonly request: UnitRequest,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(UnitCommandMessage)
export class UnitCommandHandler implements ICommandHandler<UnitCommandMessage, CommandResponse> {
  constructor(
    private readonly aggregates: Aggregates,
    private readonly lookups: Lookups,
    // Any source of the same answer: a reorganisation's batch asks the tree as its earlier steps leave it.
    @Inject(ActiveChildren) private readonly activeChildren: Pick<ActiveChildren, 'of'>,
  ) {}

  async execute({ unitId, request, context }: UnitCommandMessage): Promise<CommandResponse> {
    const creates = request.type === 'RegisterUnit';
    // A move or a merge decides on other units' places: it is guarded by the tree's stream, and looks them up only after reading it.
    const reshapes = request.type === 'MoveUnit' || request.type === 'MergeUnit';
    const result = await this.aggregates.handle(unitDecider, streams.unit(unitId), () => this.withContext(unitId, request), context, {
      ...(creates ? {} : { mustExist: () => notFound('Unit', unitId) }),
      ...(reshapes ? { guard: streams.unitTree() } : {}),
      ...this.contentsGuard(unitId, request),
    });
    return commandResponse(unitId, result);
  }

  /** A closure, and a registration under a parent, against each other and against submissions (see unitContentsGuard). */
  private contentsGuard(unitId: string, request: UnitRequest): { guard?: Guard } {
    if (request.type === 'CloseUnit') return { guard: unitContentsGuard(unitId) };
    if (request.type === 'RegisterUnit' && request.parentId !== null) return { guard: unitContentsGuard(request.parentId) };
    return {};
  }

  /** Only the commands that place a unit under another need to know about it. */
  private async withContext(unitId: string, request: UnitRequest): Promise<UnitCommand> {
    if (request.type === 'RegisterUnit') return { ...request, parent: request.parentId === null ? null : await this.lookups.unit(request.parentId) };
    if (request.type === 'MoveUnit') return { ...request, ...(await this.lookups.treeContext(request.toParentId)) };
    if (request.type === 'MergeUnit') return { ...request, ...(await this.lookups.treeContext(request.intoUnitId)) };
    if (request.type === 'CloseUnit') return { ...request, activeChildIds: await this.activeChildren.of(unitId) };
    return request;
  }
}
