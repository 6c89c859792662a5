export interface LoggingConfig {
  level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Coloured lines for a terminal (LOG_FORMAT=pretty); JSON lines otherwise. */
  pretty: boolean;
}

/** Tests and embedding callers hear only about trouble unless they ask for more. */
export const QUIET_LOGGING: LoggingConfig = { level: 'warn', pretty: false };
