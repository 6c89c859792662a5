import { IsLocalDateString } from '../../common/validators';

export class DateRangeDto {
  @IsLocalDateString()
  from!: string;

  @IsLocalDateString()
  to!: string;
}
