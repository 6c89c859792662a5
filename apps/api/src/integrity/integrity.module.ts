import { DynamicModule, Global, Module } from '@nestjs/common';
import { SealHeads, SealSigner } from '@app/event-store';
import { IntegrityController } from './integrity.controller';
import { PeriodicSealer, SEAL_EVERY_MS } from './periodic-sealer';
import { SEAL_SIGNER } from './seal-signer';

@Global()
@Module({})
export class IntegrityModule {
  static forRoot(signer: SealSigner, sealEveryMinutes = 0, sealHeadsFile = ':memory:'): DynamicModule {
    return {
      module: IntegrityModule,
      controllers: [IntegrityController],
      providers: [
        { provide: SEAL_SIGNER, useValue: signer },
        { provide: SEAL_EVERY_MS, useValue: sealEveryMinutes * 60_000 },
        { provide: SealHeads, useFactory: () => new SealHeads(sealHeadsFile) },
        PeriodicSealer,
      ],
      exports: [SEAL_SIGNER],
    };
  }
}
