/** `canarykit test-analysis`: every Prometheus metric of the specs proven with promtool before it ships. */
import type { Command } from 'commander';
import { analysisCases, formatOutcome, runCases } from '../targets/promtool';
import { loadAllOrFail, UserError } from './common';
import { terminalSafe } from '../document/errors';

export function registerTestAnalysis(cli: Command): void {
  cli.command('test-analysis')
    .description('evaluate each Prometheus metric with promtool on a healthy, a failing and a no-traffic canary (plus the metric\'s own tests) and apply its conditions')
    .argument('<inputs...>', 'spec files or directories of *.yaml')
    .option('--promtool <path>', 'promtool binary', process.env.PROMTOOL ?? 'promtool')
    .action((inputs: string[], opts: { promtool: string }) => {
      let failed = 0;
      let total = 0;
      const { apps, libraries } = loadAllOrFail(inputs);
      // A library's templates are tested once, under the library's name, like an app's.
      for (const { model: app } of [...apps, ...libraries]) {
        let outcomes;
        try {
          outcomes = runCases(analysisCases(app), opts.promtool);
        } catch (e) {
          throw new UserError(`${app.name}: ${(e as Error).message}`);
        }
        for (const outcome of outcomes) {
          process.stdout.write(`${terminalSafe(`${app.name}: ${formatOutcome(outcome)}`, false)}\n`);
          total++;
          if (!outcome.ok) failed++;
        }
      }
      if (failed > 0) throw new UserError(`${failed} of ${total} analysis case(s) failed`);
      // Nothing proven is not a pass: a CI step that runs this must not go green on a spec without Prometheus metrics.
      if (total === 0) throw new UserError(`no analysis cases: no app or library in ${inputs.join(', ')} has a Prometheus metric (prometheus, successRate or latency) to test`);
      process.stderr.write(`${total} analysis case(s) passed\n`);
    });
}
