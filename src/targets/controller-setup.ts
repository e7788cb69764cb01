/**
 * What the Argo Rollouts controller needs, once per cluster, for the traffic routers the apps use: the
 * `argo-rollouts-config` ConfigMap entry that makes it download and load the Gateway API plugin, and the
 * RBAC the plugin needs (it runs inside the controller, as its ServiceAccount). Like the Argo CD root,
 * an output to commit and apply with the controller's installation, not part of any app.
 */
import type { ResolvedApp } from '../model/model';
import { toYaml, toYamlDocuments } from '../util/yaml-emitter';
import { GATEWAY_API_PLUGIN } from '../constructs/routers/gateway-api';
import { GATEWAY_GROUP } from '../model/routers/gateway-api';

/** The release canarykit's plugin config is checked against (pkg/plugin/types.go of this version). */
export const GATEWAY_API_PLUGIN_VERSION = 'v0.15.0';

export interface ControllerSetupOptions {
  /** Where the controller downloads the plugin from: an https:// release asset (or file:// on the node). */
  readonly pluginUrl: string;
  /** sha256 of that file, checked by the controller before it runs it; required for https://. */
  readonly pluginSha256?: string;
  /** @default "argo-rollouts" */
  readonly namespace?: string;
  /** The controller's ServiceAccount. @default "argo-rollouts" */
  readonly serviceAccount?: string;
}

export const CONTROLLER_SETUP_DEFAULTS = {
  namespace: 'argo-rollouts',
  serviceAccount: 'argo-rollouts',
  pluginUrl: `https://github.com/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi/releases/download/${GATEWAY_API_PLUGIN_VERSION}/gatewayapi-plugin-linux-amd64`,
} as const;

const PLUGIN_RBAC = 'argo-rollouts-gateway-api-plugin';

/** Problems with the options, each a sentence; empty when they are usable. */
export function controllerSetupProblems(o: ControllerSetupOptions): string[] {
  const problems: string[] = [];
  let url: URL | undefined;
  try {
    url = new URL(o.pluginUrl);
  } catch {
    problems.push(`--plugin-url ${JSON.stringify(o.pluginUrl)} is not a URL`);
  }
  if (url && url.protocol !== 'https:' && url.protocol !== 'file:') problems.push(`--plugin-url ${JSON.stringify(o.pluginUrl)}: the controller downloads plugins over https:// (or loads file:// from its node)`);
  if (url?.username || url?.password) problems.push('--plugin-url must not carry credentials');
  if (o.pluginSha256 !== undefined && !/^[a-f0-9]{64}$/.test(o.pluginSha256)) problems.push(`--plugin-sha256 ${JSON.stringify(o.pluginSha256)} is not a sha256 (64 lower-case hex digits)`);
  if (url?.protocol === 'https:' && o.pluginSha256 === undefined) problems.push('--plugin-sha256 is required with an https:// URL: the controller runs what it downloads (sha256sum the release asset)');
  return problems;
}

/**
 * Relative path -> YAML: `argo-rollouts-config.yaml` and `gateway-api-plugin-rbac.yaml` when an app
 * routes with the Gateway API; nothing otherwise (NGINX and Istio are built into the controller).
 */
/** Whether the controller needs a set-up for these apps: a plugin router (the others are built in). */
export function needsControllerSetup(apps: readonly ResolvedApp[]): boolean {
  return apps.some((app) => app.routing.kind === 'gatewayAPI');
}

export function controllerSetupFiles(apps: readonly ResolvedApp[], o: ControllerSetupOptions): Map<string, string> {
  const files = new Map<string, string>();
  if (!needsControllerSetup(apps)) return files;
  const namespace = o.namespace ?? CONTROLLER_SETUP_DEFAULTS.namespace;
  const plugin = { name: GATEWAY_API_PLUGIN, location: o.pluginUrl, ...(o.pluginSha256 ? { sha256: o.pluginSha256 } : {}) };
  files.set('argo-rollouts-config.yaml', toYamlDocuments([{
    apiVersion: 'v1',
    kind: 'ConfigMap',
    // The controller reads this name in its own namespace; merge the entry into an existing one.
    metadata: { name: 'argo-rollouts-config', namespace },
    data: { trafficRouterPlugins: toYaml([plugin]) },
  }]));
  files.set('gateway-api-plugin-rbac.yaml', toYamlDocuments([
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: PLUGIN_RBAC },
      // What the plugin's v0.15.0 code calls: routes read, listed (label selectors) and updated; Services read.
      rules: [
        { apiGroups: [GATEWAY_GROUP], resources: ['httproutes', 'grpcroutes'], verbs: ['get', 'list', 'update'] },
        { apiGroups: [''], resources: ['services'], verbs: ['get'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: PLUGIN_RBAC },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: PLUGIN_RBAC },
      subjects: [{ kind: 'ServiceAccount', name: o.serviceAccount ?? CONTROLLER_SETUP_DEFAULTS.serviceAccount, namespace }],
    },
  ]));
  return files;
}
