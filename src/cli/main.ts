/** The `canarykit` command line. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { PUBLISHED_KINDS, publishedSchemas } from '../document/json-schema';
import { KIND } from '../document/constants';
import { planSynth } from '../targets/incremental';
import { PARALLEL_MIN_APPS } from '../targets/parallel';
import { DEFAULT_OUT_DIRS } from '../targets/output';
import { CHECK_FLAG, issuesError, loadAllOrFail, reportIssues, UserError, writeOrFail } from './common';
import { formatIssue, SpecValidationError, terminalSafe } from '../document/errors';
import { argocdCommand } from './argocd';
import { registerTestAnalysis } from './test-analysis';
import { chartCommand } from './chart';
import { controllerSetupCommand } from './controller-setup';
import { notificationsCommand } from './notifications';

/** What the installed command knows about itself. */
export interface RunContext {
  /** sha256 of the running bundle (bin/canarykit.js): keys synth's memo, which is off without it. */
  readonly build?: string;
  /** A script that, run as a worker thread, calls `synthWorker` (bin/canarykit.js); synth uses one thread without it. */
  readonly workerEntry?: string;
}

/** The synthesis worker thread's entry (see targets/parallel.ts), for bin/canarykit.js. */
export { synthWorker } from '../targets/parallel';

export function program(context: RunContext = {}): Command {
  const cli = new Command('canarykit')
    .description('Argo Rollouts canary setups from one typed spec')
    .showHelpAfterError()
    .exitOverride();

  cli.command('synth')
    .description('write one <app>.k8s.yaml per app')
    .argument('<inputs...>', 'spec files or directories of *.yaml')
    .option('-o, --out <dir>', 'output directory', DEFAULT_OUT_DIRS.synth)
    .option('--force', 'overwrite files canarykit did not write', false)
    .option(...CHECK_FLAG)
    .option('--no-cache', 'synthesize every app, neither reading nor writing the local memo of what each spec file produced')
    .option('-j, --jobs <n>', `threads to synthesize on (default: every core for ${PARALLEL_MIN_APPS} apps or more to synthesize, else 1); the output is the same`, parseJobs)
    .action((inputs: string[], opts: { out: string; force: boolean; check?: boolean; cache: boolean; jobs?: number }) => {
      const plan = planSynth(inputs, opts.out, { build: context.build, useMemo: opts.cache, jobs: opts.jobs, workerEntry: context.workerEntry });
      if (plan.threads > 1) process.stderr.write(`loading and synthesizing on ${plan.threads} threads\n`);
      reportIssues(plan.issues, plan.apps, inputs);
      if (plan.reused > 0) process.stderr.write(`${plan.reused} of ${plan.apps} app(s) unchanged since the last run: not synthesized again\n`);
      if (writeOrFail(opts.out, plan.files(), opts)) plan.saveMemo();
    });

  cli.command('validate')
    .description('check specs without writing anything')
    .argument('<inputs...>', 'spec files or directories of *.yaml')
    .action((inputs: string[]) => {
      const { apps, libraries } = loadAllOrFail(inputs);
      process.stderr.write(`${apps.length} app(s)${libraries.length > 0 ? ` and ${libraries.length} analysis librar${libraries.length === 1 ? 'y' : 'ies'}` : ''} valid\n`);
    });

  cli.command('schema')
    .description('print (or write to <dir>/canaryapp.schema.json and <dir>/analysislibrary.schema.json) the JSON Schema of the CanaryApp (and AnalysisLibrary) file format')
    .option('-o, --out <dir>', 'write every schema into this directory instead of printing one')
    .addOption(new Option('--kind <kind>', 'the kind whose schema is printed').choices(PUBLISHED_KINDS).default(KIND))
    .action((opts: { out?: string; kind: string }) => {
      const text = (schema: Record<string, unknown>) => `${JSON.stringify(schema, null, 2)}\n`;
      if (opts.out) writeOrFail(opts.out, new Map(publishedSchemas().map((s) => [s.file, text(s.schema)])), { force: false });
      else process.stdout.write(text(publishedSchemas().find((s) => s.kind === opts.kind)!.schema));
    });

  registerTestAnalysis(cli);
  argocdCommand(cli);
  chartCommand(cli);
  controllerSetupCommand(cli);
  notificationsCommand(cli);

  return cli;
}

function parseJobs(value: string): number {
  if (!/^[1-9][0-9]{0,2}$/.test(value)) throw new InvalidArgumentError('a whole number of threads, 1 to 999');
  return Number(value);
}

/** Runs the CLI; returns the exit code instead of exiting so tests can call it in-process. */
export function run(argv: readonly string[], context: RunContext = {}): number {
  try {
    program(context).parse(argv, { from: 'user' });
    return 0;
  } catch (caught) {
    const err = caught as { code?: string; exitCode?: number; message?: string };
    if (err.code?.startsWith('commander.')) return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
    const e = caught instanceof SpecValidationError ? issuesError(caught.issues.map((i) => formatIssue(i))) : caught;
    // Messages quote file names and spec values: nothing in them may drive the terminal.
    if (e instanceof UserError) {
      process.stderr.write(`${terminalSafe(e.message, true)}\n`);
      return 1;
    }
    process.stderr.write(`canarykit: internal error: ${terminalSafe(err.message ?? String(e), true)}\n`);
    if (process.env.CANARYKIT_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return 70;
  }
}
