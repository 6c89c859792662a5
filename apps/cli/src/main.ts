import { Command, CommanderError, Option } from 'commander';
import { InvalidEnvironmentError, validateEnvironment } from '@app/config';
import { ApiClient, CliError, EXIT } from './api-client';
import { exportProgress } from './commands/export';
import { history } from './commands/history';
import { importCsv } from './commands/import';
import { rebuild } from './commands/rebuild';
import { reorganise } from './commands/reorganise';
import { status } from './commands/status';
import { verify, verifyIntegrity } from './commands/verify';
import { completionScript } from './completion';

interface GlobalOptions {
  url?: string;
  token?: string;
}

/** The command line, declared once: parsing, help and the shell completion all come from it. */
function program(run: (work: (api: ApiClient) => Promise<number>) => Promise<void>): Command {
  const cli = new Command('omi')
    .description('The admins\' and auditors\' command line, a client of the HTTP API (the service must be running)')
    .option('--url <url>', 'the service (default: API_URL, else http://localhost:3000)')
    .option('--token <token>', 'an API key or OIDC token, e.g. $(cat data/admin-api-key) (default: API_TOKEN)')
    .addHelpText('after', '\nexit codes: 0 ok · 1 the check failed (differences found, rows rejected, rebuild failed) · 2 usage · 3 service unreachable or failing')
    .showHelpAfterError()
    .exitOverride();
  cli.command('status').description('projections: version, state, position, lag, rebuild progress').action(() => run((api) => status(api)));
  cli
    .command('rebuild')
    .description('rebuild the read models beside the live ones, switch when caught up')
    .argument('[projection]', 'the projection', 'progress')
    .action((name: string) => run((api) => rebuild(api, name)));
  cli
    .command('verify')
    .description('compare the read models with a replay of the event log (--all, or --unit and --program), or check the hash chains and seals (--integrity)')
    .option('--all', 'every document')
    .option('--unit <id>', 'one unit')
    .option('--program <id>', 'its programme')
    .option('--integrity', "every stream's hash chain and every seal: exit 1 naming the first changed, missing or moved event")
    .option('--seal <file>', 'with --integrity: a seal kept elsewhere (GET /audit/seals), that the log must still extend')
    .action((options: { all?: boolean; unit?: string; program?: string; integrity?: boolean; seal?: string }) => {
      if (options.integrity) return run((api) => verifyIntegrity(api, options.seal));
      if (!options.all && !(options.unit && options.program)) throw new CliError('verify needs --all, --integrity, or --unit and --program', EXIT.usage);
      return run((api) => verify(api, { all: options.all === true, unit: options.unit, program: options.program }));
    });
  cli
    .command('history')
    .description("every event that moved the unit's figures, as CSV")
    .argument('<unit>', 'the unit id')
    .requiredOption('--program <id>', 'the programme')
    .option('--phase <id>', 'one phase (default: the whole programme)')
    .option('--subtree', 'the units below it too')
    .option('--from <date>', 'recorded on or after (YYYY-MM-DD)')
    .option('--to <date>', 'recorded on or before (YYYY-MM-DD)')
    .action((unit: string, options: { program: string; phase?: string; subtree?: boolean; from?: string; to?: string }) =>
      run((api) => history(api, unit, { ...options, subtree: options.subtree === true })),
    );
  cli
    .command('import')
    .description('bulk initiatives from CSV; re-running the same file writes nothing twice')
    .argument('<file.csv>', 'the spreadsheet export')
    .requiredOption('--program <id>', 'the programme')
    .option('--report <file>', 'write each row\'s outcome as CSV')
    .action((file: string, options: { program: string; report?: string }) => run((api) => importCsv(api, file, options)));
  cli
    .command('export')
    .description('progress rows as CSV')
    .requiredOption('--program <id>', 'the programme')
    .option('--phase <id>', 'one phase (default: the whole programme)')
    .option('--out <file>', 'write to a file instead of stdout')
    .action((options: { program: string; phase?: string; out?: string }) => run((api) => exportProgress(api, options)));
  cli
    .command('reorganise')
    .description('a reorganisation of the unit tree as one decision, from the plan\'s CSV (action,unit,to,name,kind,members); --dry-run previews it')
    .argument('<plan.csv>', 'one line per step: register, move, merge or wind-up')
    .requiredOption('--document <ref>', 'the decision\'s document reference (the same document is the same decision)')
    .requiredOption('--effective-on <date>', 'the date the decision takes effect (YYYY-MM-DD)')
    .option('--dry-run', 'validate and print what would change, writing nothing')
    .action((file: string, options: { document: string; effectiveOn: string; dryRun?: boolean }) => run((api) => reorganise(api, file, options)));
  cli
    .command('completion')
    .description('print a bash completion script: eval "$(npm run -s cli -- completion)"')
    .addOption(new Option('--shell <shell>', 'the shell').choices(['bash']).default('bash'))
    .action(() => {
      process.stdout.write(completionScript(cli));
    });
  return cli;
}

async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const cli = program(async (work) => {
    const env = validateEnvironment();
    const options = cli.opts<GlobalOptions>();
    const url = (options.url ?? env.API_URL ?? 'http://localhost:3000').replace(/\/$/, '');
    code = await work(new ApiClient(url, options.token ?? env.API_TOKEN));
  });
  if (argv.length === 0) {
    process.stdout.write(cli.helpInformation());
    return EXIT.usage;
  }
  try {
    await cli.parseAsync(argv, { from: 'user' });
  } catch (error) {
    // Help and version are "errors" for commander; every other parse error is a usage error.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    throw error;
  }
  return code;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known = error instanceof CliError || error instanceof InvalidEnvironmentError;
    process.stderr.write(`${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
    process.exitCode = error instanceof CliError ? error.exitCode : error instanceof InvalidEnvironmentError ? EXIT.usage : EXIT.unavailable;
  },
);
