import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiCommand, ApiProtected, ProblemCodes } from '../openapi/api-docs';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContext } from '@app/event-store';
import { CommandResponse } from '../common/command-response';
import { IdParamPipe } from '../common/id-param.pipe';
import { Command } from '../common/request-context';
import { ChangeInitiativeCommand } from './commands/change-initiative';
import { SubmitInitiativeCommand } from './commands/submit-initiative';
import {
  ApproveInitiativeDto,
  CorrectInitiativeDto,
  MoveInitiativeDto,
  RejectInitiativeDto,
  RevokeApprovalDto,
  SubmitInitiativeDto,
  WithdrawInitiativeDto,
} from './dto/initiative.dto';

const INITIATIVE_CHANGE_PROBLEMS: ProblemCodes = { 404: ['INITIATIVE_NOT_FOUND'], 409: ['CONCURRENT_MODIFICATION'], 422: ['INITIATIVE_STATUS_FORBIDS', 'NOTHING_TO_CORRECT', 'INITIATIVE_ALREADY_THERE', 'DATE_IN_FUTURE', 'APPLIED_OUTSIDE_ELIGIBILITY_WINDOW', 'UNIT_NOT_ACTIVE'] };

@ApiTags('initiatives')
@ApiProtected()
@Controller('initiatives')
export class InitiativesController {
  constructor(private readonly commands: CommandBus) {}

  @ApiCommand({ summary: 'Submit an initiative (id generated when absent)', problems: { 404: ['PROGRAM_NOT_FOUND', 'UNIT_NOT_FOUND'], 409: ['INITIATIVE_ALREADY_EXISTS', 'CONCURRENT_MODIFICATION'], 422: ['APPLIED_OUTSIDE_ELIGIBILITY_WINDOW', 'UNIT_NOT_ACTIVE', 'DATE_IN_FUTURE'] } })
  @Post()
  submit(@Body() body: SubmitInitiativeDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new SubmitInitiativeCommand(body, context));
  }

  @ApiCommand({ summary: 'Approve (council decision)', status: 200, problems: INITIATIVE_CHANGE_PROBLEMS })
  @Post(':id/approve')
  @HttpCode(200)
  approve(@Param('id', IdParamPipe) id: string, @Body() body: ApproveInitiativeDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new ChangeInitiativeCommand(id, { type: 'ApproveInitiative', body }, context));
  }

  @ApiCommand({ summary: 'Reject', status: 200, problems: INITIATIVE_CHANGE_PROBLEMS })
  @Post(':id/reject')
  @HttpCode(200)
  reject(@Param('id', IdParamPipe) id: string, @Body() body: RejectInitiativeDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new ChangeInitiativeCommand(id, { type: 'RejectInitiative', body }, context));
  }

  @ApiCommand({ summary: 'Withdraw (by its authors)', status: 200, problems: INITIATIVE_CHANGE_PROBLEMS })
  @Post(':id/withdraw')
  @HttpCode(200)
  withdraw(@Param('id', IdParamPipe) id: string, @Body() body: WithdrawInitiativeDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new ChangeInitiativeCommand(id, { type: 'WithdrawInitiative', body }, context));
  }

  @ApiCommand({ summary: 'Revoke an approval', status: 200, problems: INITIATIVE_CHANGE_PROBLEMS })
  @Post(':id/revoke-approval')
  @HttpCode(200)
  revokeApproval(@Param('id', IdParamPipe) id: string, @Body() body: RevokeApprovalDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new ChangeInitiativeCommand(id, { type: 'RevokeApproval', body }, context));
  }

  @ApiCommand({ summary: 'Correct recorded facts', status: 200, problems: INITIATIVE_CHANGE_PROBLEMS })
  @Post(':id/correct')
  @HttpCode(200)
  correct(@Param('id', IdParamPipe) id: string, @Body() body: CorrectInitiativeDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new ChangeInitiativeCommand(id, { type: 'CorrectInitiative', body }, context));
  }

  @ApiCommand({ summary: 'Move to another unit', status: 200, problems: { ...INITIATIVE_CHANGE_PROBLEMS, 404: ['INITIATIVE_NOT_FOUND', 'UNIT_NOT_FOUND'] } })
  @Post(':id/move')
  @HttpCode(200)
  move(@Param('id', IdParamPipe) id: string, @Body() body: MoveInitiativeDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new ChangeInitiativeCommand(id, { type: 'MoveInitiative', body }, context));
  }
}
