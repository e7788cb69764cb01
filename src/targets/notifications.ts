/**
 * The controller-side notification configuration: the `argo-rollouts-notification-configmap` the
 * controller reads from its own namespace (POD_NAMESPACE; record.NotificationConfigMap), with the
 * services, templates and triggers of every app merged, and the keys of `argo-rollouts-notification-secret`
 * they read (names only: the values never pass through canarykit). Three forms of the same entries: the
 * ConfigMap itself, values for the upstream argo-rollouts Helm chart's `notifications` section (which
 * writes notifiers, templates and triggers into the same ConfigMap), and an Argo CD Application that syncs
 * the ConfigMap into the controller's namespace.
 *
 * Deterministic whatever the order of the apps: keys sorted, each trigger's templates sorted.
 */
import { App, Chart } from 'cdk8s';
import { Application } from '../../imports/argoproj.io';
import { appNotificationConfig, SecretKeyUse } from '../analysis/notifications';
import { NOTIFICATION_CONFIGMAP, NOTIFICATION_SECRET } from '../document/constants';
import type { ResolvedApp } from '../model/model';
import { error, show, SpecValidationError } from '../document/errors';
import { toYaml, toYamlDocuments } from '../util/yaml-emitter';
import { ARGOCD_OPTIONS, RESOURCES_FINALIZER } from './argocd';

export const NOTIFICATION_FILES = {
  configMap: `${NOTIFICATION_CONFIGMAP}.yaml`,
  secretKeys: 'secret-keys.yaml',
  helmValues: 'argo-rollouts-values.yaml',
  application: 'application.yaml',
} as const;

export interface NotificationsOptions {
  /** The controller's namespace. @default "argo-rollouts" */
  readonly namespace?: string;
  /** The Git repository the Application reads. */
  readonly repoURL: string;
  /** Repository path of the directory this output is committed to. @default "notifications" */
  readonly path?: string;
  /** @default "HEAD" */
  readonly targetRevision?: string;
  /** @default "argocd" */
  readonly argocdNamespace?: string;
  /** @default "default" */
  readonly project?: string;
}

export const NOTIFICATIONS_DEFAULTS = { namespace: 'argo-rollouts', path: 'notifications', applicationName: 'canarykit-notifications' } as const;

/** The merged ConfigMap data and the Secret keys it reads. */
export interface MergedNotifications {
  readonly data: Record<string, string>;
  /** Each key once, with every service that reads it. */
  readonly secretKeys: readonly { readonly key: string; readonly usedBy: readonly string[]; readonly copyOf?: SecretKeyUse['copyOf'] }[];
}

/** Apps that subscribe to anything. */
export function notifyingApps(apps: readonly ResolvedApp[]): ResolvedApp[] {
  return apps.filter((a) => a.notifications !== undefined);
}

export function mergeNotifications(apps: readonly ResolvedApp[]): MergedNotifications {
  const entries = new Map<string, string>();
  const sends = new Map<string, string[]>();
  const keys = new Map<string, { usedBy: Set<string>; copyOf?: SecretKeyUse['copyOf'] }>();
  const seen = new Set<string>();
  for (const app of notifyingApps(apps)) {
    // One Rollout, one set of entries: the same app twice (two files) would overwrite its own entries.
    const id = `${app.namespace}/${app.name}`;
    if (seen.has(id)) throw new SpecValidationError([error(`${app.name}: metadata.name`, `${show(id)} is defined twice; its notification entries would overwrite each other`)]);
    seen.add(id);
    const config = appNotificationConfig(app.notifications!);
    // Names carry the namespace and app, so only the same app twice (refused by synth) could collide.
    for (const [k, v] of [...Object.entries(config.services), ...Object.entries(config.templates)]) entries.set(k, toYaml(v));
    for (const [trigger, template] of Object.entries(config.triggerTemplates)) sends.set(trigger, [...(sends.get(trigger) ?? []), template]);
    for (const use of config.secretKeys) {
      const k = keys.get(use.key) ?? { usedBy: new Set<string>(), copyOf: use.copyOf };
      k.usedBy.add(use.usedBy);
      keys.set(use.key, k);
    }
  }
  // One condition without `when` per trigger: the event path sends it, the engine's own controller never does.
  for (const [trigger, templates] of sends) entries.set(`trigger.${trigger}`, toYaml([{ send: [...templates].sort() }]));
  const data = Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const secretKeys = [...keys].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, k]) => ({ key, usedBy: [...k.usedBy].sort(), ...(k.copyOf ? { copyOf: k.copyOf } : {}) }));
  return { data, secretKeys };
}

/** The ConfigMap object. */
export function notificationConfigMap(merged: MergedNotifications, namespace: string) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: NOTIFICATION_CONFIGMAP, namespace, labels: { 'app.kubernetes.io/managed-by': 'canarykit' } },
    data: merged.data,
  };
}

/**
 * Values for the upstream argo-rollouts chart: its notifications ConfigMap template writes `notifiers`,
 * `templates` and `triggers` (maps of ConfigMap keys) into `data`. The chart must not create the Secret:
 * its values would hold the credentials.
 */
export function helmValues(merged: MergedNotifications) {
  const pick = (prefix: string) => Object.fromEntries(Object.entries(merged.data).filter(([k]) => k.startsWith(prefix)));
  return {
    notifications: {
      configmap: { create: true },
      secret: { create: false },
      notifiers: pick('service.'),
      templates: pick('template.'),
      triggers: pick('trigger.'),
    },
  };
}

export function notificationFiles(apps: readonly ResolvedApp[], options: NotificationsOptions): Map<string, string> {
  const namespace = options.namespace ?? NOTIFICATIONS_DEFAULTS.namespace;
  const merged = mergeNotifications(apps);
  const keyLines = merged.secretKeys.length === 0
    ? ['# It reads no key of the notification Secret.']
    : [`# Keys it reads from the Secret ${NOTIFICATION_SECRET} in namespace ${namespace} (see ${NOTIFICATION_FILES.secretKeys}):`,
      ...merged.secretKeys.map((k) => `#   ${k.key}`)];
  const files = new Map<string, string>();
  files.set(NOTIFICATION_FILES.configMap, [
    '# The Argo Rollouts controller\'s notification configuration for the apps canarykit generated, merged.',
    ...keyLines,
    toYamlDocuments([notificationConfigMap(merged, namespace)]),
  ].join('\n'));
  files.set(NOTIFICATION_FILES.secretKeys, toYaml({
    secret: { name: NOTIFICATION_SECRET, namespace },
    keys: merged.secretKeys.map((k) => ({
      key: k.key,
      usedBy: k.usedBy,
      ...(k.copyOf ? { value: `the value of key ${k.copyOf.key} of Secret ${k.copyOf.name} in namespace ${k.copyOf.namespace}` } : {}),
    })),
  }));
  files.set(NOTIFICATION_FILES.helmValues, toYaml(helmValues(merged)));
  files.set(NOTIFICATION_FILES.application, toYaml(application(options, namespace)));
  return files;
}

function application(o: NotificationsOptions, namespace: string): unknown {
  const chart = new Chart(new App(), 'notifications');
  return new Application(chart, NOTIFICATIONS_DEFAULTS.applicationName, {
    metadata: { name: NOTIFICATIONS_DEFAULTS.applicationName, namespace: o.argocdNamespace ?? ARGOCD_OPTIONS.argocdNamespace.default, finalizers: [RESOURCES_FINALIZER] },
    spec: {
      project: o.project ?? ARGOCD_OPTIONS.project.default,
      source: {
        repoUrl: o.repoURL,
        targetRevision: o.targetRevision ?? ARGOCD_OPTIONS.targetRevision.default,
        path: o.path ?? NOTIFICATIONS_DEFAULTS.path,
        // The directory holds the values and key list too, which are not Kubernetes objects.
        directory: { include: NOTIFICATION_FILES.configMap },
      },
      destination: { server: ARGOCD_OPTIONS.destinationServer.default, namespace },
    },
  }).toJson();
}
