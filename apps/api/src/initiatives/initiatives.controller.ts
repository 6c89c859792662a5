import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiCommand, ApiProtected, ProblemCodes } from '../openapi/api-docs';
import { CommandBus } from '@nestjs/cqrs';
import { asLocalDate, InitiativeRequest, parseVnd } from '@app/domain';
import { CommandContext, deterministicUuid } from '@app/event-store';
import { CommandResponse } from '../common/command-response';
import { IdParamPipe } from '../common/id-param.pipe';
import { Command } from '../common/request-context';
import { InitiativeCommandMessage } from './commands/initiative-command';
import {
  ApproveInitiativeDto,
  CorrectInitiativeDto,
  MoveInitiativeDto,
  RejectInitiativeDto,
  RevokeApprovalDto,
  SubmitInitiativeDto,
  WithdrawInitiativeDto,
} from './dto/initiative.dto';
import { Allow, initiativeParam, unitInBody } from '../auth/access-rule';

const INITIATIVE_CHANGE_PROBLEMS: ProblemCodes = { 404: ['INITIATIVE_NOT_FOUND'], 409: ['CONCURRENT_MODIFICATION'], 422: ['INITIATIVE_STATUS_FORBIDS', 'NOTHING_TO_CORRECT', 'INITIATIVE_ALREADY_THERE', 'DATE_IN_FUTURE', 'APPLIED_OUTSIDE_ELIGIBILITY_WINDOW', 'UNIT_NOT_ACTIVE', 'DECIDED_BEFORE_SUBMISSION'] };

@ApiTags('initiatives')
@ApiProtected()
@Controller('initiatives')
export class InitiativesController {
  constructor(private readonly commands: CommandBus) {}

  @ApiCommand({ summary: 'Submit an initiative (id generated when absent)', problems: { 404: ['PROGRAM_NOT_FOUND', 'UNIT_NOT_FOUND'], 409: ['INITIATIVE_ALREADY_EXISTS', 'CONCURRENT_MODIFICATION'], 422: ['APPLIED_OUTSIDE_ELIGIBILITY_WINDOW', 'UNIT_NOT_ACTIVE', 'DATE_IN_FUTURE'] } })
  @Post()
  @Allow(['officer'], unitInBody('unitId'))
  submit(@Body() body: SubmitInitiativeDto, @Command() context: CommandContext): Promise<CommandResponse> {
    // A retried submission without an id must land on the same stream, so the id comes from the key.
    const initiativeId = body.id ?? (context.idempotencyKey ? deterministicUuid('initiative', context.idempotencyKey) : randomUUID());
    return this.send(initiativeId, context, {
      type: 'SubmitInitiative',
      initiativeId,
      programId: body.programId,
      unitId: body.unitId,
      title: body.title.trim(),
      authors: body.authors,
      category: body.category,
      appliedOn: asLocalDate(body.appliedOn),
      submittedAt: body.submittedAt ?? context.now,
      benefitValue: parseVnd(body.benefitValue)!,
    });
  }

  @ApiCommand({ summary: 'Approve (council decision)', status: 200, problems: INITIATIVE_CHANGE_PROBLEMS })
  @Post(':id/approve')
  @Allow(['council'], initiativeParam('id'))
  @HttpCode(200)
  approve(@Param('id', IdParamPipe) id: string, @Body() body: ApproveInitiativeDto, @Command() context: CommandContext): Promise<CommandResponse> {
    const { approvedAt, benefitValue, decisionRef } = body;
    return this.send(id, context, { type: 'ApproveInitiative', approvedAt: approvedAt ?? context.now, benefitValue: benefitValue === undefined ? null : parseVnd(benefitValue)!, decisionRef });
  }

  @ApiCommand({ summary: 'Reject', status: 200, problems: INITIATIVE_CHANGE_PROBLEMS })
  @Post(':id/reject')
  @Allow(['council'], initiativeParam('id'))
  @HttpCode(200)
  reject(@Param('id', IdParamPipe) id: string, @Body() body: RejectInitiativeDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.send(id, context, { type: 'RejectInitiative', rejectedAt: body.rejectedAt ?? context.now, reason: body.reason });
  }

  @ApiCommand({ summary: 'Withdraw (by its authors)', status: 200, problems: INITIATIVE_CHANGE_PROBLEMS })
  @Post(':id/withdraw')
  @Allow(['officer'], initiativeParam('id'))
  @HttpCode(200)
  withdraw(@Param('id', IdParamPipe) id: string, @Body() body: WithdrawInitiativeDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.send(id, context, { type: 'WithdrawInitiative', reason: body.reason ?? null });
  }

  @ApiCommand({ summary: 'Revoke an approval', status: 200, problems: INITIATIVE_CHANGE_PROBLEMS })
  @Post(':id/revoke-approval')
  @Allow(['council'], initiativeParam('id'))
  @HttpCode(200)
  revokeApproval(@Param('id', IdParamPipe) id: string, @Body() body: RevokeApprovalDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.send(id, context, { type: 'RevokeApproval', reason: body.reason, documentRef: body.documentRef ?? null });
  }

  @ApiCommand({ summary: 'Correct recorded facts', status: 200, problems: INITIATIVE_CHANGE_PROBLEMS })
  @Post(':id/correct')
  @Allow(['officer'], initiativeParam('id'))
  @HttpCode(200)
  correct(@Param('id', IdParamPipe) id: string, @Body() body: CorrectInitiativeDto, @Command() context: CommandContext): Promise<CommandResponse> {
    const { benefitValue, appliedOn, ...rest } = body.changes;
    const changes = {
      ...rest,
      ...(appliedOn !== undefined ? { appliedOn: asLocalDate(appliedOn) } : {}),
      ...(benefitValue !== undefined ? { benefitValue: parseVnd(benefitValue)! } : {}),
    };
    return this.send(id, context, { type: 'CorrectInitiative', changes, reason: body.reason ?? null });
  }

  @ApiCommand({ summary: 'Move to another unit', status: 200, problems: { ...INITIATIVE_CHANGE_PROBLEMS, 404: ['INITIATIVE_NOT_FOUND', 'UNIT_NOT_FOUND'] } })
  @Post(':id/move')
  @Allow(['officer'], initiativeParam('id'), unitInBody('unitId'))
  @HttpCode(200)
  move(@Param('id', IdParamPipe) id: string, @Body() body: MoveInitiativeDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.send(id, context, { type: 'MoveInitiative', toUnitId: body.unitId, reason: body.reason ?? null });
  }

  private send(initiativeId: string, context: CommandContext, request: InitiativeRequest): Promise<CommandResponse> {
    return this.commands.execute(new InitiativeCommandMessage(initiativeId, request, context));
  }
}
