/** `canarykit chart`: one Helm chart per app. */
import type { Command } from 'commander';
import { chartsFiles } from '../targets/helm/chart';
import { libraryChartFiles } from '../targets/helm/library';
import { DEFAULT_OUT_DIRS } from '../targets/output';
import { CHECK_FLAG, loadAllOrFail, UserError, writeOrFail } from './common';

/** SemVer 2, as helm requires of a chart version. */
const SEMVER = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export function chartCommand(cli: Command): void {
  cli.command('chart')
    .description('write one values-driven Helm chart per app, <out>/<app>/, and one per AnalysisLibrary, <out>/<library>/')
    .argument('<inputs...>', 'spec files or directories of *.yaml')
    .option('-o, --out <dir>', 'output directory', DEFAULT_OUT_DIRS.chart)
    .option('--chart-version <semver>', 'version written to Chart.yaml', '0.1.0')
    .option('--force', 'overwrite files canarykit did not write', false)
    .option(...CHECK_FLAG)
    .action((inputs: string[], opts: { out: string; chartVersion: string; force: boolean; check?: boolean }) => {
      if (!SEMVER.test(opts.chartVersion)) throw new UserError(`--chart-version ${JSON.stringify(opts.chartVersion)} is not a SemVer version such as 1.2.3`);
      const { apps, libraries } = loadAllOrFail(inputs);
      const options = { version: opts.chartVersion };
      // An AnalysisLibrary's templates are a chart of their own, which the apps' charts reference by name.
      const files = [...libraries.flatMap((l) => [...libraryChartFiles(l.model, options)]), ...chartsFiles(apps.map((a) => a.document), options)];
      writeOrFail(opts.out, files, opts);
    });
}
