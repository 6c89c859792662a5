import { Module } from '@nestjs/common';
import { PersonalDataController } from './personal-data.controller';

@Module({ controllers: [PersonalDataController] })
export class PersonalDataModule {}
