import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { asLocalDate, InitiativeCommand, initiativeDecider, InitiativeState, parseVnd, streams, notFound } from '@app/domain';
import { CommandContext } from '@app/event-store';
import { commandResponse, CommandResponse } from '../../common/command-response';
import { Lookups } from '../../common/lookups';
import { ApproveInitiativeDto, CorrectInitiativeDto, MoveInitiativeDto, RejectInitiativeDto, RevokeApprovalDto, WithdrawInitiativeDto } from '../dto/initiative.dto';
import { Aggregates } from '../../common/aggregates';

/** A decision on, or a correction of, an existing initiative. */
export type InitiativeChange =
  | { type: 'ApproveInitiative'; body: ApproveInitiativeDto }
  | { type: 'RejectInitiative'; body: RejectInitiativeDto }
  | { type: 'WithdrawInitiative'; body: WithdrawInitiativeDto }
  | { type: 'RevokeApproval'; body: RevokeApprovalDto }
  | { type: 'CorrectInitiative'; body: CorrectInitiativeDto }
  | { type: 'MoveInitiative'; body: MoveInitiativeDto };

export class ChangeInitiativeCommand {
  constructor(
    readonly initiativeId: string,
    readonly change: InitiativeChange,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(ChangeInitiativeCommand)
export class ChangeInitiativeHandler implements ICommandHandler<ChangeInitiativeCommand, CommandResponse> {
  constructor(
    private readonly aggregates: Aggregates,
    private readonly lookups: Lookups,
  ) {}

  async execute({ initiativeId, change, context }: ChangeInitiativeCommand): Promise<CommandResponse> {
    const result = await this.aggregates.handle(
      initiativeDecider,
      streams.initiative(initiativeId),
      (state) => this.toCommand(change, state, context.now),
      context,
      { mustExist: () => notFound('Initiative', initiativeId) },
    );
    return commandResponse(initiativeId, result);
  }

  private async toCommand(change: InitiativeChange, state: InitiativeState, now: string): Promise<InitiativeCommand> {
    switch (change.type) {
      case 'ApproveInitiative': {
        const { approvedAt, benefitValue, decisionRef } = change.body;
        return { type: 'ApproveInitiative', approvedAt: approvedAt ?? now, benefitValue: benefitValue === undefined ? null : parseVnd(benefitValue)!, decisionRef, now };
      }
      case 'RejectInitiative':
        return { type: 'RejectInitiative', rejectedAt: change.body.rejectedAt ?? now, reason: change.body.reason, now };
      case 'WithdrawInitiative':
        return { type: 'WithdrawInitiative', reason: change.body.reason ?? null, now };
      case 'RevokeApproval':
        return { type: 'RevokeApproval', reason: change.body.reason, documentRef: change.body.documentRef ?? null, now };
      case 'CorrectInitiative': {
        const { benefitValue, appliedOn, ...rest } = change.body.changes;
        const program = state.status === 'none' ? { status: 'none' as const } : await this.lookups.program(state.programId);
        return {
          type: 'CorrectInitiative',
          changes: {
            ...rest,
            ...(appliedOn !== undefined ? { appliedOn: asLocalDate(appliedOn) } : {}),
            ...(benefitValue !== undefined ? { benefitValue: parseVnd(benefitValue)! } : {}),
          },
          reason: change.body.reason ?? null,
          program,
          now,
        };
      }
      case 'MoveInitiative':
        return { type: 'MoveInitiative', toUnitId: change.body.unitId, toUnit: await this.lookups.unit(change.body.unitId), reason: change.body.reason ?? null, now };
    }
  }
}
