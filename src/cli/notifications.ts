/** `canarykit notifications`: the controller's notification ConfigMap (three forms) for the apps' subscriptions. */
import * as path from 'path';
import { Command } from 'commander';
import { ARGOCD_OPTIONS } from '../targets/argocd';
import { notificationFiles, notifyingApps, NOTIFICATIONS_DEFAULTS } from '../targets/notifications';
import { CHECK_FLAG, loadOrFail, writeOrFail } from './common';

interface Flags { out: string; namespace: string; repoUrl: string; repoPath?: string; revision: string; project: string; argocdNamespace: string; force: boolean; check?: boolean }

export function notificationsCommand(cli: Command): void {
  cli.command('notifications')
    .description(`write the Argo Rollouts controller's notification configuration for the apps: the merged argo-rollouts-notification-configmap, the Secret keys it reads (names only), values for the upstream argo-rollouts chart, and an Argo CD Application; once per controller`)
    .argument('<inputs...>', 'spec files or directories of *.yaml')
    .option('-o, --out <dir>', 'output directory', NOTIFICATIONS_DEFAULTS.path)
    .option('--namespace <ns>', 'the controller\'s namespace (where it reads the ConfigMap and Secret)', NOTIFICATIONS_DEFAULTS.namespace)
    .requiredOption('--repo-url <url>', 'Git repository the Application syncs from')
    .option('--repo-path <path>', 'path of the output directory inside the repository (default: --out)')
    .option('--revision <rev>', ARGOCD_OPTIONS.targetRevision.description, ARGOCD_OPTIONS.targetRevision.default)
    .option('--project <name>', ARGOCD_OPTIONS.project.description, ARGOCD_OPTIONS.project.default)
    .option('--argocd-namespace <ns>', ARGOCD_OPTIONS.argocdNamespace.description, ARGOCD_OPTIONS.argocdNamespace.default)
    .option('--force', 'overwrite files canarykit did not write', false)
    .option(...CHECK_FLAG)
    .action((inputs: string[], flags: Flags) => {
      const apps = loadOrFail(inputs).map((a) => a.model);
      if (notifyingApps(apps).length === 0) {
        process.stderr.write('no app subscribes to a notification (spec.notifications, events.onAbort): nothing was written\n');
        return;
      }
      writeOrFail(flags.out, notificationFiles(apps, {
        namespace: flags.namespace,
        repoURL: flags.repoUrl,
        path: flags.repoPath ?? path.posix.normalize(flags.out.split(path.sep).join('/')),
        targetRevision: flags.revision,
        project: flags.project,
        argocdNamespace: flags.argocdNamespace,
      }), flags);
    });
}
