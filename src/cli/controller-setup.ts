/** `canarykit controller-setup`: what the Argo Rollouts controller needs for the apps' traffic routers. */
import { Command } from 'commander';
import { CONTROLLER_SETUP_DEFAULTS, controllerSetupFiles, controllerSetupProblems, needsControllerSetup } from '../targets/controller-setup';
import { DEFAULT_OUT_DIRS } from '../targets/output';
import { issuesError, loadOrFail, writeOrFail } from './common';

interface Flags { out: string; pluginUrl: string; pluginSha256?: string; namespace: string; serviceAccount: string; force: boolean }

export function controllerSetupCommand(cli: Command): void {
  cli.command('controller-setup')
    .description('write the controller-side set-up the apps\' routers need (the Gateway API plugin entry of argo-rollouts-config and its RBAC), once per cluster')
    .argument('<inputs...>', 'spec files or directories of *.yaml')
    .option('-o, --out <dir>', 'output directory', DEFAULT_OUT_DIRS.controllerSetup)
    .option('--plugin-url <url>', 'where the controller downloads the Gateway API plugin', CONTROLLER_SETUP_DEFAULTS.pluginUrl)
    .option('--plugin-sha256 <hex>', 'sha256 of the plugin file (required for https://)')
    .option('--namespace <ns>', 'the controller\'s namespace', CONTROLLER_SETUP_DEFAULTS.namespace)
    .option('--service-account <name>', 'the controller\'s ServiceAccount', CONTROLLER_SETUP_DEFAULTS.serviceAccount)
    .option('--force', 'overwrite files canarykit did not write', false)
    .action((inputs: string[], flags: Flags) => {
      const apps = loadOrFail(inputs).map((a) => a.model);
      // Nothing to set up means nothing to check and nothing written (not even an empty directory).
      if (!needsControllerSetup(apps)) {
        process.stderr.write('no app routes with the Gateway API: the controller needs no set-up (NGINX and Istio are built in); nothing was written\n');
        return;
      }
      const options = { pluginUrl: flags.pluginUrl, pluginSha256: flags.pluginSha256, namespace: flags.namespace, serviceAccount: flags.serviceAccount };
      const problems = controllerSetupProblems(options);
      if (problems.length > 0) throw issuesError(problems);
      writeOrFail(flags.out, controllerSetupFiles(apps, options), flags);
    });
}
