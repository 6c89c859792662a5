import { parseArgs } from 'node:util';
import { ApiClient, CliError, EXIT } from './api-client';
import { exportProgress } from './commands/export';
import { history } from './commands/history';
import { importCsv } from './commands/import';
import { rebuild } from './commands/rebuild';
import { status } from './commands/status';
import { verify, verifyIntegrity } from './commands/verify';

const USAGE = `usage: npm run cli -- <command> [options]     (the service must be running; --url or API_URL, default http://localhost:3000)

  status                                        projections: version, state, position, lag, rebuild progress
  rebuild [progress]                            rebuild the read models beside the live ones, switch when caught up
  verify --all                                  compare every read-model document with a replay of the event log
  verify --unit <id> --program <id>             the same for one unit
  verify --integrity [--seal <file>]            check every stream's hash chain and every seal (and one kept elsewhere):
                                                exit 1 naming the first changed, missing or moved event
  history <unit> --program <id> [--phase <id>] [--subtree] [--from <date>] [--to <date>]
                                                every event that moved the unit's figures, as CSV
  import <file.csv> --program <id> [--report <file>]
                                                bulk initiatives; re-running the same file writes nothing twice
  export --program <id> [--phase <id>] [--out <file>]
                                                progress rows as CSV

exit codes: 0 ok · 1 the check failed (differences found, rows rejected, rebuild failed) · 2 usage · 3 service unreachable or failing`;

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      actor: { type: 'string' },
      program: { type: 'string' },
      phase: { type: 'string' },
      unit: { type: 'string' },
      all: { type: 'boolean', default: false },
      integrity: { type: 'boolean', default: false },
      seal: { type: 'string' },
      subtree: { type: 'boolean', default: false },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      report: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...args] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return command || values.help ? EXIT.ok : EXIT.usage;
  }
  const api = new ApiClient((values.url ?? process.env.API_URL ?? 'http://localhost:3000').replace(/\/$/, ''), values.actor ?? process.env.USER ?? 'cli');
  const need = (name: string, value: string | undefined): string => {
    if (!value) throw new CliError(`${command} needs ${name}\n\n${USAGE}`, EXIT.usage);
    return value;
  };
  switch (command) {
    case 'status':
      return status(api);
    case 'rebuild':
      return rebuild(api, args[0] ?? 'progress');
    case 'verify':
      if (values.integrity) return verifyIntegrity(api, values.seal);
      if (!values.all) need('--all, or --unit and --program', values.unit && values.program);
      return verify(api, { all: values.all, unit: values.unit, program: values.program });
    case 'history':
      return history(api, need('a unit id', args[0]), { program: need('--program', values.program), phase: values.phase, subtree: values.subtree, from: values.from, to: values.to });
    case 'import':
      return importCsv(api, need('a CSV file', args[0]), { program: need('--program', values.program), report: values.report });
    case 'export':
      return exportProgress(api, { program: need('--program', values.program), phase: values.phase, out: values.out });
    default:
      throw new CliError(`unknown command "${command}"\n\n${USAGE}`, EXIT.usage);
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known = error instanceof CliError;
    const usage = error instanceof TypeError && 'code' in error && String((error as { code: unknown }).code).startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`${known || usage ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
    process.exitCode = known ? (error as CliError).exitCode : usage ? EXIT.usage : EXIT.unavailable;
  },
);
