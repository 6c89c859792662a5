import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiKeyRecord, GrantRecord } from '@app/domain';
import { CommandContext } from '@app/event-store';
import { commandResponse, CommandResponse } from '../common/command-response';
import { IdParamPipe } from '../common/id-param.pipe';
import { NothingPipe } from '../common/nothing.pipe';
import { Command } from '../common/request-context';
import { AdminOnly, Allow, AUDITORS, everywhere, unitParam } from './access-rule';
import { CreateApiKeyDto, GrantDto, RevokeApiKeyDto } from './access.dto';
import { AccessService } from './access.service';
import { UnitPaths } from './unit-paths';

export type ApiKeyView = Omit<ApiKeyRecord, 'secretHash'>;

/** Grants and API keys: written by admins, read by auditors. */
@Controller()
export class AccessController {
  constructor(
    private readonly access: AccessService,
    private readonly paths: UnitPaths,
  ) {}

  /** The secret is in this answer and nowhere else: only its hash is recorded. */
  @Post('admin/api-keys')
  @AdminOnly()
  async createApiKey(@Body() body: CreateApiKeyDto, @Command() context: CommandContext): Promise<{ keyId: string; token: string; subject: string; expiresAt: string | null; position: string }> {
    const { subject, displayName, expiresAt = null, documentRef = null } = body;
    const roles = body.roles.map((r) => ({ role: r.role, unitId: r.unitId ?? null }));
    const created = await this.access.createApiKey({ subject, displayName, roles, expiresAt, documentRef }, context);
    return { keyId: created.keyId, token: created.token, subject, expiresAt, position: created.position.toString() };
  }

  @Get('admin/api-keys')
  @AdminOnly()
  async apiKeys(@Query(NothingPipe) _: undefined): Promise<{ items: ApiKeyView[] }> {
    const { keys } = await this.access.state();
    return { items: keys.map(({ secretHash: _hash, ...key }) => key) };
  }

  @Post('admin/api-keys/:keyId/revoke')
  @HttpCode(200)
  @AdminOnly()
  async revokeApiKey(@Param('keyId', IdParamPipe) keyId: string, @Body() body: RevokeApiKeyDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return commandResponse(keyId, await this.access.execute({ type: 'RevokeApiKey', keyId, reason: body.reason ?? null }, context));
  }

  @Post('admin/grants')
  @AdminOnly()
  async grant(@Body() body: GrantDto, @Command() context: CommandContext): Promise<CommandResponse> {
    const { subject, role, unitId = null, documentRef = null } = body;
    return commandResponse(subject, await this.access.execute({ type: 'GrantRole', subject, role, unitId, documentRef }, context));
  }

  @Post('admin/grants/revoke')
  @HttpCode(200)
  @AdminOnly()
  async revoke(@Body() body: GrantDto, @Command() context: CommandContext): Promise<CommandResponse> {
    const { subject, role, unitId = null, documentRef = null } = body;
    return commandResponse(subject, await this.access.execute({ type: 'RevokeRole', subject, role, unitId, documentRef }, context));
  }

  /** Every grant ever recorded, revoked ones included (with who revoked them and when), in log order. */
  @Get('admin/grants')
  @Allow(AUDITORS, everywhere)
  async grants(@Query(NothingPipe) _: undefined): Promise<{ items: GrantRecord[] }> {
    return { items: (await this.access.state()).grants };
  }

  /** The grants that reach the unit as the tree is now: held over it, over an ancestor, or everywhere. */
  @Get('units/:id/grants')
  @Allow(AUDITORS, unitParam('id'))
  async unitGrants(@Param('id', IdParamPipe) unitId: string, @Query(NothingPipe) _: undefined): Promise<{ items: GrantRecord[] }> {
    const [{ grants }, path] = await Promise.all([this.access.state(), this.paths.including(unitId)]);
    return { items: grants.filter((g) => g.unitId === null || path.includes(g.unitId)) };
  }
}
