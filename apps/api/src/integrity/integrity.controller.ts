import { Body, Controller, Get, Inject, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminOnly, Allow, AUDITORS, everywhere } from '../auth/access-rule';
import { ApiAdmin, ApiCommand, ApiProtected } from '../openapi/api-docs';
import { PublicKeyDto, SealedDto, SealListDto } from './dto/integrity-answers.dto';
import { CommandContext, EVENT_STORE, EventStore, Seal, SealHeads, SEAL_STREAM, sealLog, SealSigner } from '@app/event-store';
import { storedEvents } from '@app/personal-data';
import { NothingPipe } from '../common/nothing.pipe';
import { Command } from '../common/request-context';
import { SEAL_SIGNER } from './seal-signer';

/** Seals over the whole log, and what an auditor needs to check them elsewhere. */
@ApiTags('audit')
@ApiProtected()
@Controller()
export class IntegrityController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(SEAL_SIGNER) private readonly signer: SealSigner,
    private readonly heads: SealHeads,
  ) {}

  @ApiAdmin({ summary: 'The Ed25519 public key that verifies the seals', response: PublicKeyDto })
  @Get('audit/public-key')
  @Allow(AUDITORS, everywhere)
  publicKey(@Query(NothingPipe) _: undefined): { keyId: string; algorithm: 'Ed25519'; publicKey: string } {
    return { keyId: this.signer.keyId, algorithm: 'Ed25519', publicKey: this.signer.publicKeyPem };
  }

  /** Every seal in the log, to keep elsewhere (a printed report, another system). */
  @ApiAdmin({ summary: 'Every seal in the log, to keep elsewhere', response: SealListDto })
  @Get('audit/seals')
  @Allow(AUDITORS, everywhere)
  async seals(@Query(NothingPipe) _: undefined): Promise<{ items: Seal[] }> {
    return { items: (await this.events.readStream(SEAL_STREAM)).map((event) => event.data as unknown as Seal) };
  }

  /** Seals the log now: every stream head up to the head of the log, signed. */
  @ApiCommand({ summary: 'Seal the log now', response: SealedDto })
  @Post('admin/integrity/seals')
  @AdminOnly()
  async seal(@Body(NothingPipe) _: undefined, @Command() context: CommandContext): Promise<{ position: string; seal: Seal }> {
    const { seal, position } = await sealLog(storedEvents(this.events), this.signer, context.now, {
      actor: context.actor,
      correlationId: context.correlationId,
      causationId: context.causationId,
      commandId: context.commandId,
      schemaVersion: 1,
    }, this.heads);
    return { position: position.toString(), seal };
  }
}
