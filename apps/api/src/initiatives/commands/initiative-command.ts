import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InitiativeCommand, initiativeDecider, InitiativeRequest, InitiativeState, notFound, streams } from '@app/domain';
import { CommandContext } from '@app/event-store';
import { Aggregates } from '../../common/aggregates';
import { commandResponse, CommandResponse } from '../../common/command-response';
import { Lookups } from '../../common/lookups';
import { unitContentsGuard } from '../../units/unit-contents-guard';

/** Any command on an initiative, as the domain states it; the handler adds the clock and what it looks up. */
export class InitiativeCommandMessage {
  constructor(
    readonly initiativeId: string,
    readonly request: InitiativeRequest,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(InitiativeCommandMessage)
export class InitiativeCommandHandler implements ICommandHandler<InitiativeCommandMessage, CommandResponse> {
  constructor(private readonly aggregates: Aggregates, private readonly lookups: Lookups) {}

  async execute({ initiativeId, request, context }: InitiativeCommandMessage): Promise<CommandResponse> {
    const mustExist = () => notFound('Initiative', initiativeId);
    const stream = streams.initiative(initiativeId);
    // Landing in a unit is ordered against the unit's closure (see unitContentsGuard).
    const into = request.type === 'SubmitInitiative' ? request.unitId : request.type === 'MoveInitiative' ? request.toUnitId : undefined;
    const options = { ...(request.type === 'SubmitInitiative' ? {} : { mustExist }), ...(into === undefined ? {} : { guard: unitContentsGuard(into) }) };
    const result = await this.aggregates.handle(initiativeDecider, stream, (state) => this.withContext(request, state, context.now), context, options);
    return commandResponse(initiativeId, result);
  }

  /** Only submitting, correcting and moving depend on other aggregates. */
  private async withContext(request: InitiativeRequest, state: InitiativeState, now: string): Promise<InitiativeCommand> {
    if (request.type === 'SubmitInitiative') {
      const [program, unit] = await Promise.all([this.lookups.program(request.programId), this.lookups.unit(request.unitId)]);
      return { ...request, program, unit, now };
    }
    if (request.type === 'CorrectInitiative') {
      const program = state.status === 'none' ? { status: 'none' as const } : await this.lookups.program(state.programId);
      return { ...request, program, now };
    }
    if (request.type === 'MoveInitiative') return { ...request, toUnit: await this.lookups.unit(request.toUnitId), now };
    return { ...request, now };
  }
}
