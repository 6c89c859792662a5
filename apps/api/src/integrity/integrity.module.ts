import { DynamicModule, Global, Module } from '@nestjs/common';
import { SealSigner } from '@app/event-store';
import { IntegrityController } from './integrity.controller';
import { SEAL_SIGNER } from './seal-signer';

@Global()
@Module({})
export class IntegrityModule {
  static forRoot(signer: SealSigner): DynamicModule {
    return {
      module: IntegrityModule,
      controllers: [IntegrityController],
      providers: [{ provide: SEAL_SIGNER, useValue: signer }],
      exports: [SEAL_SIGNER],
    };
  }
}
