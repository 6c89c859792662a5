import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Terminus' report: `status` and each check's facts under `info` (up), `error` (down) and `details` (all). */
export class HealthReportDto {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down', 'degraded'] })
  status!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  info?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  error?: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: true })
  details!: Record<string, unknown>;
}
