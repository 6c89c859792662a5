import { Module } from '@nestjs/common';
import { PersonalDataController } from './personal-data.controller';
import { SpareKeysAtStart } from './spare-keys-at-start';

@Module({ controllers: [PersonalDataController], providers: [SpareKeysAtStart] })
export class PersonalDataModule {}
