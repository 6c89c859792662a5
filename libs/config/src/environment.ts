import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

/** What the README's configuration table says about a variable: its default and what it is for. */
export interface VariableDoc {
  name: string;
  default: string;
  accepts: string;
  meaning: string;
}

const DOCS: VariableDoc[] = [];

/** Records a variable's documentation beside its validation rules, so the README table is checked against the schema. */
function Variable(doc: Omit<VariableDoc, 'name'>): PropertyDecorator {
  return (_target, propertyKey) => {
    DOCS.push({ name: String(propertyKey), ...doc });
  };
}

/** An empty value (`MONGO_URL=` in a compose file) means "not set", like an absent one. */
const EmptyIsUnset = () => Transform(({ value }) => (value === '' ? undefined : value));
const ToInt = () => Transform(({ value }) => (value === '' || value === undefined ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value));

const URL_OF = (schemes: string) => new RegExp(`^(${schemes})://[^\\s]+$`);

/**
 * Every environment variable the service, the projector and the CLI read, validated in one place.
 * A wrong value stops the start with a message naming the variable and what it accepts.
 */
export class Environment {
  @Variable({ default: '`3000`', accepts: 'a port number 0–65535', meaning: 'HTTP port of the API' })
  @EmptyIsUnset()
  @ToInt()
  @IsOptional()
  @IsInt({ message: 'PORT must be a port number (an integer 0–65535)' })
  @Min(0, { message: 'PORT must be a port number (an integer 0–65535)' })
  @Max(65_535, { message: 'PORT must be a port number (an integer 0–65535)' })
  PORT?: number;

  @Variable({ default: '`sqlite` (`esdb` when `ESDB_URL` is set)', accepts: '`sqlite`, `esdb`', meaning: 'where the events are stored' })
  @EmptyIsUnset()
  @IsOptional()
  @IsIn(['sqlite', 'esdb'], { message: 'EVENT_STORE must be "sqlite" or "esdb"' })
  EVENT_STORE?: 'sqlite' | 'esdb';

  @Variable({ default: '`./data/events.db`', accepts: 'a file path', meaning: "the embedded event store's file" })
  @EmptyIsUnset()
  @IsOptional()
  @IsString()
  SQLITE_PATH?: string;

  @Variable({ default: '—', accepts: 'an `esdb://` or `esdb+discover://` URL', meaning: 'EventStoreDB, e.g. `esdb://localhost:2113?tls=false`' })
  @EmptyIsUnset()
  @IsOptional()
  @Matches(URL_OF('esdb|esdb\\+discover'), { message: 'ESDB_URL must be an esdb:// or esdb+discover:// URL (e.g. esdb://localhost:2113?tls=false)' })
  ESDB_URL?: string;

  @Variable({ default: '`sqlite` (`mongo` when `MONGO_URL` is set)', accepts: '`sqlite`, `memory`, `mongo`', meaning: 'where the read models live (`memory`: rebuilt in the heap at every start, for small logs)' })
  @EmptyIsUnset()
  @IsOptional()
  @IsIn(['sqlite', 'memory', 'mongo'], { message: 'READ_MODEL must be "sqlite", "memory" or "mongo"' })
  READ_MODEL?: 'sqlite' | 'memory' | 'mongo';

  @Variable({ default: '`read-models.db` beside `SQLITE_PATH`', accepts: 'a file path', meaning: "the embedded read models' file" })
  @EmptyIsUnset()
  @IsOptional()
  @IsString()
  READ_MODEL_PATH?: string;

  @Variable({ default: '—', accepts: 'a `mongodb://` or `mongodb+srv://` URL', meaning: 'MongoDB of the read models, e.g. `mongodb://localhost:27017`' })
  @EmptyIsUnset()
  @IsOptional()
  @Matches(URL_OF('mongodb|mongodb\\+srv'), { message: 'MONGO_URL must be a mongodb:// or mongodb+srv:// URL (e.g. mongodb://localhost:27017)' })
  MONGO_URL?: string;

  @Variable({ default: '`one_million_initiatives`', accepts: 'a database name', meaning: 'the MongoDB database' })
  @EmptyIsUnset()
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,63}$/, { message: 'MONGO_DB must be a database name of 1–63 ASCII letters, digits, "_" or "-"' })
  MONGO_DB?: string;

  @Variable({ default: '`embedded`', accepts: '`embedded`, `off`', meaning: '`off` leaves projection to `apps/projector` (MongoDB only)' })
  @EmptyIsUnset()
  @IsOptional()
  @IsIn(['embedded', 'off'], { message: 'PROJECTOR must be "embedded" or "off"' })
  PROJECTOR?: 'embedded' | 'off';

  @Variable({ default: '`worker` when the events and the read models are SQLite files, else `main`', accepts: '`worker`, `main`', meaning: 'where the embedded projector runs: a worker thread of the service, or the thread that answers requests' })
  @EmptyIsUnset()
  @IsOptional()
  @IsIn(['worker', 'main'], { message: 'PROJECTOR_THREAD must be "worker" or "main"' })
  PROJECTOR_THREAD?: 'worker' | 'main';

  @Variable({ default: '`2000`', accepts: 'megabytes, 256–65536', meaning: "the projector thread's heap limit; under 2 GB V8 also collects it sooner (an exceeded limit ends the thread: `/health/ready` answers 503)" })
  @EmptyIsUnset()
  @ToInt()
  @IsOptional()
  @IsInt({ message: 'PROJECTOR_THREAD_HEAP_MB must be an integer number of megabytes, 256–65536' })
  @Min(256, { message: 'PROJECTOR_THREAD_HEAP_MB must be an integer number of megabytes, 256–65536' })
  @Max(65536, { message: 'PROJECTOR_THREAD_HEAP_MB must be an integer number of megabytes, 256–65536' })
  PROJECTOR_THREAD_HEAP_MB?: number;

  @Variable({ default: '`info`', accepts: '`fatal`, `error`, `warn`, `info`, `debug`, `trace`, `silent`', meaning: 'the least severe log level written' })
  @EmptyIsUnset()
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent' })
  LOG_LEVEL?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

  @Variable({ default: '`json`', accepts: '`json`, `pretty`', meaning: 'log lines as JSON, or coloured for a terminal' })
  @EmptyIsUnset()
  @IsOptional()
  @IsIn(['json', 'pretty'], { message: 'LOG_FORMAT must be "json" or "pretty"' })
  LOG_FORMAT?: 'json' | 'pretty';

  @Variable({ default: '`10000`', accepts: 'an integer ≥ 0', meaning: '`/health/ready` answers 503 when the read models are more events behind the log' })
  @EmptyIsUnset()
  @ToInt()
  @IsOptional()
  @IsInt({ message: 'READY_MAX_LAG_EVENTS must be an integer ≥ 0' })
  @Min(0, { message: 'READY_MAX_LAG_EVENTS must be an integer ≥ 0' })
  READY_MAX_LAG_EVENTS?: number;

  @Variable({ default: '`10000`', accepts: 'milliseconds ≥ 0', meaning: 'how long SIGTERM waits for requests in flight before closing the stores' })
  @EmptyIsUnset()
  @ToInt()
  @IsOptional()
  @IsInt({ message: 'SHUTDOWN_GRACE_MS must be an integer number of milliseconds ≥ 0' })
  @Min(0, { message: 'SHUTDOWN_GRACE_MS must be an integer number of milliseconds ≥ 0' })
  SHUTDOWN_GRACE_MS?: number;

  @Variable({ default: '`on`', accepts: '`on`, `off`', meaning: '`off`: no authentication, for local experiments only (a loud warning at every start; refused when `NODE_ENV=production`)' })
  @EmptyIsUnset()
  @IsOptional()
  @IsIn(['on', 'off'], { message: 'AUTH must be "on" or "off"' })
  AUTH?: 'on' | 'off';

  @Variable({ default: '—', accepts: 'an `http://` or `https://` URL', meaning: 'the identity provider whose JWTs are accepted (`iss`); needs `OIDC_AUDIENCE`; without it, API keys only' })
  @EmptyIsUnset()
  @IsOptional()
  @Matches(URL_OF('https?'), { message: 'OIDC_ISSUER must be an http:// or https:// URL' })
  OIDC_ISSUER?: string;

  @Variable({ default: '—', accepts: 'a string', meaning: 'the `aud` the provider puts in tokens meant for this service' })
  @EmptyIsUnset()
  @IsOptional()
  @IsString()
  OIDC_AUDIENCE?: string;

  @Variable({ default: '`${OIDC_ISSUER}/.well-known/jwks.json`', accepts: 'an `http://` or `https://` URL', meaning: "the provider's signing keys (the `jwks_uri` of its discovery document when that differs)" })
  @EmptyIsUnset()
  @IsOptional()
  @Matches(URL_OF('https?'), { message: 'OIDC_JWKS_URL must be an http:// or https:// URL' })
  OIDC_JWKS_URL?: string;

  @Variable({ default: '`<dir of SQLITE_PATH>/admin-api-key` with SQLite, none with EventStoreDB', accepts: 'a file path', meaning: 'where the first admin key is written when the log holds no grant and no key' })
  @EmptyIsUnset()
  @IsOptional()
  @IsString()
  ADMIN_KEY_FILE?: string;

  @Variable({ default: '—', accepts: 'comma-separated origins', meaning: 'origins browsers may call from; none: no cross-origin access' })
  @EmptyIsUnset()
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  @Variable({ default: '`1200`', accepts: 'an integer ≥ 1', meaning: 'requests per credential (per address before authentication) per window; beyond: 429 `RATE_LIMITED`' })
  @EmptyIsUnset()
  @ToInt()
  @IsOptional()
  @IsInt({ message: 'RATE_LIMIT must be an integer ≥ 1' })
  @Min(1, { message: 'RATE_LIMIT must be an integer ≥ 1' })
  RATE_LIMIT?: number;

  @Variable({ default: '`60000`', accepts: 'milliseconds ≥ 1', meaning: 'the window of `RATE_LIMIT`' })
  @EmptyIsUnset()
  @ToInt()
  @IsOptional()
  @IsInt({ message: 'RATE_LIMIT_WINDOW_MS must be an integer ≥ 1' })
  @Min(1, { message: 'RATE_LIMIT_WINDOW_MS must be an integer ≥ 1' })
  RATE_LIMIT_WINDOW_MS?: number;

  @Variable({ default: '`sqlite` (`mongo` when `MONGO_URL` is set)', accepts: '`sqlite`, `mongo`', meaning: 'where the per-person data keys live (see *Personal data*)' })
  @EmptyIsUnset()
  @IsOptional()
  @IsIn(['sqlite', 'mongo'], { message: 'PERSONAL_DATA_KEY_STORE must be "sqlite" or "mongo"' })
  PERSONAL_DATA_KEY_STORE?: 'sqlite' | 'mongo';

  @Variable({ default: '`personal-data-keys.db` beside `SQLITE_PATH`', accepts: 'a file path', meaning: "the embedded key store's file (mode 0600)" })
  @EmptyIsUnset()
  @IsOptional()
  @IsString()
  PERSONAL_DATA_KEY_STORE_PATH?: string;

  @Variable({ default: '—', accepts: 'base64 of 32 bytes', meaning: 'the master key wrapping every data key; absent, read from (or generated on first start into) `PERSONAL_DATA_MASTER_KEY_FILE`' })
  @EmptyIsUnset()
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'PERSONAL_DATA_MASTER_KEY must be the base64 of 32 bytes' })
  PERSONAL_DATA_MASTER_KEY?: string;

  @Variable({ default: '`personal-data-master.key` beside `SQLITE_PATH`', accepts: 'a file path', meaning: 'where the generated master key is kept (mode 0600)' })
  @EmptyIsUnset()
  @IsOptional()
  @IsString()
  PERSONAL_DATA_MASTER_KEY_FILE?: string;

  @Variable({ default: '—', accepts: 'an Ed25519 private key (PEM)', meaning: 'signs the seals; absent, read from (or generated on first start into) `AUDIT_SEAL_KEY_FILE`' })
  @EmptyIsUnset()
  @IsOptional()
  @IsString()
  AUDIT_SEAL_PRIVATE_KEY?: string;

  @Variable({ default: '`audit-seal.key` beside `SQLITE_PATH`', accepts: 'a file path', meaning: 'where the generated seal key is kept (mode 0600)' })
  @EmptyIsUnset()
  @IsOptional()
  @IsString()
  AUDIT_SEAL_KEY_FILE?: string;

  @Variable({ default: '`60`', accepts: 'minutes ≥ 0', meaning: 'seal the log this often when it has grown (`0`: only on demand)' })
  @EmptyIsUnset()
  @IsOptional()
  @Matches(/^\d+(\.\d+)?$/, { message: 'AUDIT_SEAL_EVERY_MINUTES must be a number of minutes ≥ 0' })
  AUDIT_SEAL_EVERY_MINUTES?: string;

  @Variable({
    default: '`refuse`',
    accepts: '`refuse`, `report`',
    meaning: "a rebuild checks the log's hash chains before its generation goes live and reports a broken link in its status; `refuse`: it then fails and the old generation stays live",
  })
  @EmptyIsUnset()
  @IsOptional()
  @IsIn(['refuse', 'report'], { message: 'REBUILD_ON_BROKEN_CHAIN must be "refuse" or "report"' })
  REBUILD_ON_BROKEN_CHAIN?: 'refuse' | 'report';

  @Variable({ default: '`http://localhost:3000`', accepts: 'an `http://` or `https://` URL', meaning: "the CLI's service (`--url` wins)" })
  @EmptyIsUnset()
  @IsOptional()
  @Matches(URL_OF('https?'), { message: 'API_URL must be an http:// or https:// URL' })
  API_URL?: string;

  @Variable({ default: '—', accepts: 'a bearer token', meaning: "the CLI's credentials (`--token` wins)" })
  @EmptyIsUnset()
  @IsOptional()
  @IsString()
  API_TOKEN?: string;
}

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'InvalidEnvironmentError';
  }
}

/** Validates the variables of `env` this project reads (others are ignored); throws naming every wrong one. */
export function validateEnvironment(env: Record<string, unknown> = process.env): Environment {
  const known = Object.fromEntries(DOCS.map((d) => [d.name, env[d.name]]).filter(([, v]) => v !== undefined));
  const parsed = plainToInstance(Environment, known);
  const errors = validateSync(parsed, { whitelist: true });
  if (errors.length > 0) {
    throw new InvalidEnvironmentError(errors.map((e) => `${Object.values(e.constraints ?? {})[0] ?? `${e.property} is invalid`}, not ${JSON.stringify(env[e.property])}`));
  }
  return parsed;
}

/** The documentation of every variable, in schema order. */
export function environmentVariables(): readonly VariableDoc[] {
  return DOCS;
}

/** The README's configuration table, rendered from the schema. */
export function environmentTable(): string {
  return ['| variable | default | accepts | meaning |', '| --- | --- | --- | --- |', ...DOCS.map((d) => `| \`${d.name}\` | ${d.default} | ${d.accepts} | ${d.meaning} |`)].join('\n');
}
