/** The `canarykit` command line. */
import { Command } from 'commander';
import { documentJsonSchema, SCHEMA_FILE } from '../document/json-schema';
import { synthEach } from '../constructs/synth';
import { yamlFiles } from '../targets/yaml';
import { DEFAULT_OUT_DIRS } from '../targets/output';
import { issuesError, loadOrFail, UserError, writeOrFail } from './common';
import { formatIssue, SpecValidationError } from '../document/errors';
import { argocdCommand } from './argocd';
import { registerTestAnalysis } from './test-analysis';
import { chartCommand } from './chart';
import { controllerSetupCommand } from './controller-setup';
import { notificationsCommand } from './notifications';

export function program(): Command {
  const cli = new Command('canarykit')
    .description('Argo Rollouts canary setups from one typed spec')
    .showHelpAfterError()
    .exitOverride();

  cli.command('synth')
    .description('write one <app>.k8s.yaml per app')
    .argument('<inputs...>', 'spec files or directories of *.yaml')
    .option('-o, --out <dir>', 'output directory', DEFAULT_OUT_DIRS.synth)
    .option('--force', 'overwrite files canarykit did not write', false)
    .action((inputs: string[], opts: { out: string; force: boolean }) => {
      writeOrFail(opts.out, yamlFiles(synthEach(loadOrFail(inputs).map((a) => a.model))), opts.force);
    });

  cli.command('validate')
    .description('check specs without writing anything')
    .argument('<inputs...>', 'spec files or directories of *.yaml')
    .action((inputs: string[]) => {
      const apps = loadOrFail(inputs);
      process.stderr.write(`${apps.length} app(s) valid\n`);
    });

  cli.command('schema')
    .description('print (or write to <dir>/canaryapp.schema.json) the JSON Schema of the CanaryApp file format')
    .option('-o, --out <dir>', 'write into this directory instead of stdout')
    .action((opts: { out?: string }) => {
      const text = `${JSON.stringify(documentJsonSchema(), null, 2)}\n`;
      if (opts.out) writeOrFail(opts.out, new Map([[SCHEMA_FILE, text]]), false);
      else process.stdout.write(text);
    });

  registerTestAnalysis(cli);
  argocdCommand(cli);
  chartCommand(cli);
  controllerSetupCommand(cli);
  notificationsCommand(cli);

  return cli;
}

/** Runs the CLI; returns the exit code instead of exiting so tests can call it in-process. */
export function run(argv: readonly string[]): number {
  try {
    program().parse(argv, { from: 'user' });
    return 0;
  } catch (caught) {
    const err = caught as { code?: string; exitCode?: number; message?: string };
    if (err.code?.startsWith('commander.')) return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
    const e = caught instanceof SpecValidationError ? issuesError(caught.issues.map((i) => formatIssue(i))) : caught;
    if (e instanceof UserError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    process.stderr.write(`canarykit: internal error: ${err.message ?? String(e)}\n`);
    if (process.env.CANARYKIT_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return 70;
  }
}
