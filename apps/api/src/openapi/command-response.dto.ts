import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ENTITY_ID_SCHEMA } from '../common/validators';

/** What every command answers. */
export class CommandResponseDto {
  @ApiProperty({ ...ENTITY_ID_SCHEMA, description: 'The id acted on' })
  id!: string;

  @ApiProperty({ type: 'string', pattern: '^\\d+$', description: 'Global log position of the last event written (digits): pass it back as minPosition' })
  position!: string;

  @ApiPropertyOptional({ type: 'boolean', description: 'True when an Idempotency-Key retry was answered from the first attempt' })
  replayed?: boolean;
}
