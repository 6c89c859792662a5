import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
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
import { Allow, initiativeParam, unitInBody } from '../auth/access-rule';

@Controller('initiatives')
export class InitiativesController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Allow(['officer'], unitInBody('unitId'))
  submit(@Body() body: SubmitInitiativeDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new SubmitInitiativeCommand(body, context));
  }

  @Post(':id/approve')
  @Allow(['council'], initiativeParam('id'))
  @HttpCode(200)
  approve(@Param('id', IdParamPipe) id: string, @Body() body: ApproveInitiativeDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new ChangeInitiativeCommand(id, { type: 'ApproveInitiative', body }, context));
  }

  @Post(':id/reject')
  @Allow(['council'], initiativeParam('id'))
  @HttpCode(200)
  reject(@Param('id', IdParamPipe) id: string, @Body() body: RejectInitiativeDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new ChangeInitiativeCommand(id, { type: 'RejectInitiative', body }, context));
  }

  @Post(':id/withdraw')
  @Allow(['officer'], initiativeParam('id'))
  @HttpCode(200)
  withdraw(@Param('id', IdParamPipe) id: string, @Body() body: WithdrawInitiativeDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new ChangeInitiativeCommand(id, { type: 'WithdrawInitiative', body }, context));
  }

  @Post(':id/revoke-approval')
  @Allow(['council'], initiativeParam('id'))
  @HttpCode(200)
  revokeApproval(@Param('id', IdParamPipe) id: string, @Body() body: RevokeApprovalDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new ChangeInitiativeCommand(id, { type: 'RevokeApproval', body }, context));
  }

  @Post(':id/correct')
  @Allow(['officer'], initiativeParam('id'))
  @HttpCode(200)
  correct(@Param('id', IdParamPipe) id: string, @Body() body: CorrectInitiativeDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new ChangeInitiativeCommand(id, { type: 'CorrectInitiative', body }, context));
  }

  @Post(':id/move')
  @Allow(['officer'], initiativeParam('id'), unitInBody('unitId'))
  @HttpCode(200)
  move(@Param('id', IdParamPipe) id: string, @Body() body: MoveInitiativeDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new ChangeInitiativeCommand(id, { type: 'MoveInitiative', body }, context));
  }
}
