/** `canarykit controller-setup`: what the Argo Rollouts controller needs for the apps' traffic routers. */
import { Command } from 'commander';
import { CONTROLLER_SETUP_DEFAULTS, controllerSetupFiles, controllerSetupProblems } from '../targets/controller-setup';
import { issuesError, loadOrFail, writeOrFail } from './common';

interface Flags { out: string; pluginUrl: string; pluginSha256?: string; namespace: string; serviceAccount: string; force: boolean }

export function controllerSetupCommand(cli: Command): void {
  cli.command('controller-setup')
    .description('write the controller-side set-up the apps\' routers need (the Gateway API plugin entry of argo-rollouts-config and its RBAC), once per cluster')
    .argument('<inputs...>', 'spec files or directories of *.yaml')
    .option('-o, --out <dir>', 'output directory', 'controller')
    .option('--plugin-url <url>', 'where the controller downloads the Gateway API plugin', CONTROLLER_SETUP_DEFAULTS.pluginUrl)
    .option('--plugin-sha256 <hex>', 'sha256 of the plugin file (required for https://)')
    .option('--namespace <ns>', 'the controller\'s namespace', CONTROLLER_SETUP_DEFAULTS.namespace)
    .option('--service-account <name>', 'the controller\'s ServiceAccount', CONTROLLER_SETUP_DEFAULTS.serviceAccount)
    .option('--force', 'overwrite files canarykit did not write', false)
    .action((inputs: string[], flags: Flags) => {
      const options = { pluginUrl: flags.pluginUrl, pluginSha256: flags.pluginSha256, namespace: flags.namespace, serviceAccount: flags.serviceAccount };
      const problems = controllerSetupProblems(options);
      if (problems.length > 0) throw issuesError(problems);
      const files = controllerSetupFiles(loadOrFail(inputs).map((a) => a.model), options);
      if (files.size === 0) process.stderr.write('no app routes with the Gateway API: the controller needs no set-up (NGINX and Istio are built in)\n');
      writeOrFail(flags.out, files, flags.force);
    });
}
