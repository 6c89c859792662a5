import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'appliedOn' })
  field!: string;

  @ApiProperty({ example: 'appliedOn must be a calendar date YYYY-MM-DD (Vietnam local date)' })
  message!: string;
}

/** RFC 9457 problem details, as every error is answered (`application/problem+json`). */
export class ProblemDto {
  @ApiProperty({ example: 'urn:one-million-initiatives:problem:validation-failed' })
  type!: string;

  @ApiProperty({ example: 'Bad Request' })
  title!: string;

  @ApiProperty({ type: 'integer', example: 400 })
  status!: number;

  @ApiProperty({ description: 'Stable, machine-readable: the contract', example: 'VALIDATION_FAILED' })
  code!: string;

  @ApiProperty()
  detail!: string;

  @ApiPropertyOptional({ description: 'The request path' })
  instance?: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Every offending field (VALIDATION_FAILED)' })
  errors?: FieldErrorDto[];
}
