import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { asLocalDate } from '@app/domain';
import { CommandContext } from '@app/event-store';
import { CommandResponse } from '../common/command-response';
import { IdParamPipe } from '../common/id-param.pipe';
import { Command } from '../common/request-context';
import { ChangeProgramRulesCommand } from './commands/change-program-rules';
import { LaunchProgramCommand } from './commands/launch-program';
import { LaunchProgramDto } from './dto/launch-program.dto';
import { AmendPhaseDto, ChangeCountingRuleDto, ChangeEligibilityDto } from './dto/rule-change.dto';
import { AdminOnly } from '../auth/access-rule';

@Controller('programs')
export class ProgramsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @AdminOnly()
  launch(@Body() body: LaunchProgramDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new LaunchProgramCommand(body, context));
  }

  @Post(':id/phases/:phaseId/amend')
  @AdminOnly()
  @HttpCode(200)
  amendPhase(
    @Param('id', IdParamPipe) id: string,
    @Param('phaseId', IdParamPipe) phaseId: string,
    @Body() body: AmendPhaseDto,
    @Command() context: CommandContext,
  ): Promise<CommandResponse> {
    const { from, to, targetPercent, documentRef } = body;
    return this.commands.execute(
      new ChangeProgramRulesCommand(id, { type: 'AmendPhase', phaseId, from: asLocalDate(from), to: asLocalDate(to), targetPercent, documentRef }, context),
    );
  }

  @Post(':id/counting-rule')
  @AdminOnly()
  @HttpCode(200)
  changeCountingRule(@Param('id', IdParamPipe) id: string, @Body() body: ChangeCountingRuleDto, @Command() context: CommandContext): Promise<CommandResponse> {
    const { basis, date, documentRef } = body;
    return this.commands.execute(new ChangeProgramRulesCommand(id, { type: 'ChangeCountingRule', basis, date, documentRef }, context));
  }

  @Post(':id/eligibility')
  @AdminOnly()
  @HttpCode(200)
  changeEligibility(@Param('id', IdParamPipe) id: string, @Body() body: ChangeEligibilityDto, @Command() context: CommandContext): Promise<CommandResponse> {
    const { from, to, documentRef } = body;
    return this.commands.execute(
      new ChangeProgramRulesCommand(id, { type: 'ChangeEligibilityWindow', from: asLocalDate(from), to: asLocalDate(to), documentRef }, context),
    );
  }
}
