import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContext } from '@app/event-store';
import { CommandResponse } from '../common/command-response';
import { IdParamPipe } from '../common/id-param.pipe';
import { Command } from '../common/request-context';
import { AssignQuotaCommand } from './assign-quota';
import { AssignQuotaDto } from './assign-quota.dto';
import { Allow, beneathUnitInBody } from '../auth/access-rule';

@Controller('programs/:programId/quotas')
export class QuotasController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Allow(['officer'], beneathUnitInBody('unitId'))
  assign(@Param('programId', IdParamPipe) programId: string, @Body() body: AssignQuotaDto, @Command() context: CommandContext): Promise<CommandResponse> {
    const { unitId, phaseId, quota, documentRef, assignedByUnitId } = body;
    return this.commands.execute(
      new AssignQuotaCommand({ type: 'AssignQuota', programId, unitId, phaseId: phaseId ?? null, quota, documentRef, assignedByUnitId: assignedByUnitId ?? null }, context),
    );
  }
}
