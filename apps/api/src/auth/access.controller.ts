import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiKeyRecord, GrantRecord } from '@app/domain';
import { CommandContext } from '@app/event-store';
import { commandResponse, CommandResponse } from '../common/command-response';
import { IdParamPipe } from '../common/id-param.pipe';
import { NothingPipe } from '../common/nothing.pipe';
import { Command } from '../common/request-context';
import { AdminOnly, Allow, AnyAuthenticated, AUDITORS, everywhere, unitParam } from './access-rule';
import { CreateApiKeyDto, GrantDto, RevokeApiKeyDto } from './access.dto';
import { AccessService } from './access.service';
import { UnitPaths } from './unit-paths';
import { ApiAdmin, ApiCommand, ApiProtected } from '../openapi/api-docs';
import { ApiKeyListDto, CreatedApiKeyDto, GrantCommandResponseDto, GrantListDto, MeDto } from './dto/access-answers.dto';
import { principalOf } from './principal';

export type ApiKeyView = Omit<ApiKeyRecord, 'secretHash'>;

/** Grants and API keys: written by admins, read by auditors; and who the caller is. */
@ApiTags('access')
@ApiProtected()
@Controller()
export class AccessController {
  constructor(
    private readonly access: AccessService,
    private readonly paths: UnitPaths,
  ) {}

  /** Who the credential says the caller is, and the roles held now (the dashboard offers only what they allow). */
  @ApiAdmin({ summary: 'Who the caller is, and the roles held now', response: MeDto })
  @Get('me')
  @AnyAuthenticated()
  async me(@Req() request: Request, @Query(NothingPipe) _: undefined): Promise<MeDto> {
    const principal = principalOf(request);
    const subject = principal?.subject ?? 'anonymous';
    const { grants } = await this.access.state();
    const roles = grants.filter((g) => g.subject === subject && g.revoked === null).map((g) => ({ role: g.role, unitId: g.unitId }));
    return { subject, displayName: principal?.displayName ?? subject, roles };
  }

  /** The secret is in this answer and nowhere else: only its hash is recorded. */
  @ApiCommand({ summary: 'Create an API key (the secret is shown once)', response: CreatedApiKeyDto, problems: { 422: ['API_KEY_EXPIRY_IN_PAST'], 409: ['API_KEY_ALREADY_EXISTS'] } })
  @Post('admin/api-keys')
  @AdminOnly()
  async createApiKey(@Body() body: CreateApiKeyDto, @Command() context: CommandContext): Promise<{ keyId: string; token: string; subject: string; expiresAt: string | null; position: string }> {
    const { subject, displayName, expiresAt = null, documentRef = null } = body;
    const roles = body.roles.map((r) => ({ role: r.role, unitId: r.unitId ?? null }));
    const created = await this.access.createApiKey({ subject, displayName, roles, expiresAt, documentRef }, context);
    return { keyId: created.keyId, token: created.token, subject, expiresAt, position: created.position.toString() };
  }

  @ApiAdmin({ summary: 'Every API key (never its secret)', response: ApiKeyListDto })
  @Get('admin/api-keys')
  @AdminOnly()
  async apiKeys(@Query(NothingPipe) _: undefined): Promise<{ items: ApiKeyView[] }> {
    const { keys } = await this.access.state();
    return { items: keys.map(({ secretHash: _hash, ...key }) => key) };
  }

  @ApiCommand({ summary: 'Revoke an API key', status: 200, problems: { 404: ['API_KEY_NOT_FOUND'] } })
  @Post('admin/api-keys/:keyId/revoke')
  @HttpCode(200)
  @AdminOnly()
  async revokeApiKey(@Param('keyId', IdParamPipe) keyId: string, @Body() body: RevokeApiKeyDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return commandResponse(keyId, await this.access.execute({ type: 'RevokeApiKey', keyId, reason: body.reason ?? null }, context));
  }

  @ApiCommand({ summary: 'Grant a role over a unit subtree (or everywhere)', response: GrantCommandResponseDto, problems: { 409: ['ROLE_ALREADY_GRANTED'] } })
  @Post('admin/grants')
  @AdminOnly()
  async grant(@Body() body: GrantDto, @Command() context: CommandContext): Promise<CommandResponse> {
    const { subject, role, unitId = null, documentRef = null } = body;
    return commandResponse(subject, await this.access.execute({ type: 'GrantRole', subject, role, unitId, documentRef }, context));
  }

  @ApiCommand({ summary: 'Revoke a grant', status: 200, response: GrantCommandResponseDto, problems: { 404: ['GRANT_NOT_FOUND'] } })
  @Post('admin/grants/revoke')
  @HttpCode(200)
  @AdminOnly()
  async revoke(@Body() body: GrantDto, @Command() context: CommandContext): Promise<CommandResponse> {
    const { subject, role, unitId = null, documentRef = null } = body;
    return commandResponse(subject, await this.access.execute({ type: 'RevokeRole', subject, role, unitId, documentRef }, context));
  }

  /** Every grant ever recorded, revoked ones included (with who revoked them and when), in log order. */
  @ApiAdmin({ summary: 'Every grant ever recorded, revoked ones included', response: GrantListDto })
  @Get('admin/grants')
  @Allow(AUDITORS, everywhere)
  async grants(@Query(NothingPipe) _: undefined): Promise<{ items: GrantRecord[] }> {
    return { items: (await this.access.state()).grants };
  }

  /** The grants that reach the unit as the tree is now: held over it, over an ancestor, or everywhere. */
  @ApiAdmin({ summary: 'The grants that reach a unit as the tree is now', response: GrantListDto, problems: { 404: ['UNIT_NOT_FOUND'] } })
  @Get('units/:id/grants')
  @Allow(AUDITORS, unitParam('id'))
  async unitGrants(@Param('id', IdParamPipe) unitId: string, @Query(NothingPipe) _: undefined): Promise<{ items: GrantRecord[] }> {
    const [{ grants }, path] = await Promise.all([this.access.state(), this.paths.including(unitId)]);
    return { items: grants.filter((g) => g.unitId === null || path.includes(g.unitId)) };
  }
}
