/**
 * The Argo CD target: one Application per app, whose source is what `canarykit synth` (or the Helm
 * target) wrote to Git, and a root app-of-apps Application whose source is the directory of those
 * Applications. Objects are ordered inside each app by their sync-wave annotations (see syncWave).
 */
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Application, ApplicationProps, ApplicationSpecIgnoreDifferences, ApplicationSpecSource, ApplicationSpecSyncPolicy } from '../../imports/argoproj.io';
import type { SynthesizedApp } from '../constructs/synth';
import { compact } from '../constructs/metadata';
import { error, show, SpecValidationError } from '../document/errors';
import { controllerOwnedFields } from '../model/controller-owned';
import { yamlFileName } from './yaml';
import { toYaml } from '../util/yaml-emitter';

/** Where the child Applications go, relative to the output directory: the root app's source. */
export const APPS_DIR = 'apps';
/** The root app-of-apps Application, relative to the output directory: applied once by hand. */
export const ROOT_FILE = 'root.yaml';
/** Deleting an Application deletes the objects it synced (and, on the root, the child Applications). */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
const IN_CLUSTER = 'https://kubernetes.default.svc';

export type ArgoCdSource = 'dist' | 'chart';

export interface ArgoCdOptions {
  /** Git repository Argo CD reads, e.g. https://github.com/example/canarykit-deploy.git. */
  readonly repoURL: string;
  /** @default "HEAD" */
  readonly targetRevision?: string;
  /** @default "default" */
  readonly project?: string;
  /** Cluster the apps are deployed to. @default "https://kubernetes.default.svc" */
  readonly destinationServer?: string;
  /** Sync each app from its `<app>.k8s.yaml` (dist) or from its Helm chart `<charts>/<app>` (chart). @default "dist" */
  readonly source?: ArgoCdSource;
  /** Repository path of the directory holding `<app>.k8s.yaml`. @default "dist" */
  readonly distPath?: string;
  /** Repository path of the directory holding one chart per app. @default "charts" */
  readonly chartsPath?: string;
  /** Repository path of the directory these files are written to. @default "argocd" */
  readonly outPath?: string;
  /** Namespace Argo CD runs in; Applications must live there. @default "argocd" */
  readonly argocdNamespace?: string;
  /** @default "canarykit-apps" */
  readonly rootName?: string;
  /** Sync without a human clicking Sync. @default false */
  readonly automated?: boolean;
  /** With automated sync: delete objects that disappeared from Git. @default false */
  readonly prune?: boolean;
  /** With automated sync: undo changes made in the cluster. @default false */
  readonly selfHeal?: boolean;
  /** Cascade deletion of an Application to what it deployed. @default true */
  readonly finalizers?: boolean;
}

/** Relative paths (under the output directory) -> YAML: `apps/<app>.yaml` per app and `root.yaml`. */
export function argocdFiles(apps: readonly SynthesizedApp[], options: ArgoCdOptions): Map<string, string> {
  const o = withDefaults(options);
  const names = [...apps.map((a) => a.name), o.rootName];
  const clashes = names.filter((name, i) => names.indexOf(name) !== i);
  if (clashes.length > 0) {
    throw new SpecValidationError(clashes.map((name) => error(`${name}: metadata.name`,
      `${show(name)} names two Applications (apps and the root app-of-apps, --root-name, share one namespace, ${o.argocdNamespace}); rename the app or pass another --root-name`)));
  }

  const chart = new Chart(new App(), 'argocd');
  const application = (name: string, props: Omit<ApplicationProps, 'metadata'>) => new Application(chart, name, {
    metadata: { name, namespace: o.argocdNamespace, finalizers: o.finalizers ? [RESOURCES_FINALIZER] : undefined },
    ...props,
  }).toJson();

  const files = new Map<string, string>();
  for (const app of apps) {
    files.set(path.posix.join(APPS_DIR, `${app.name}.yaml`), toYaml(application(app.name, {
      spec: {
        project: o.project,
        source: appSource(app, o),
        destination: { server: o.destinationServer, namespace: app.namespace },
        syncPolicy: { ...syncPolicy(o), syncOptions: ['CreateNamespace=true', 'RespectIgnoreDifferences=true'] },
        ignoreDifferences: controllerOwned(app),
      },
    })));
  }
  files.set(ROOT_FILE, toYaml(application(o.rootName, {
    spec: {
      project: o.project,
      source: { repoUrl: o.repoURL, targetRevision: o.targetRevision, path: path.posix.join(o.outPath, APPS_DIR), directory: { include: '*.yaml' } },
      // Applications are created where Argo CD runs, whichever cluster the apps go to.
      destination: { server: IN_CLUSTER, namespace: o.argocdNamespace },
      syncPolicy: syncPolicy(o),
    },
  })));
  return files;
}

type Resolved = Required<ArgoCdOptions>;

function withDefaults(options: ArgoCdOptions): Resolved {
  return {
    targetRevision: 'HEAD', project: 'default', destinationServer: IN_CLUSTER, source: 'dist', distPath: 'dist',
    chartsPath: 'charts', outPath: 'argocd', argocdNamespace: 'argocd', rootName: 'canarykit-apps',
    automated: false, prune: false, selfHeal: false, finalizers: true,
    ...compact(options),
  };
}

/** The repository path an app's Application reads, and the file or chart it needs there. */
export function appSourcePath(appName: string, options: ArgoCdOptions): { dir: string; required: string } {
  const o = withDefaults(options);
  return o.source === 'chart'
    ? { dir: path.posix.join(o.chartsPath, appName), required: 'Chart.yaml' }
    : { dir: o.distPath, required: yamlFileName(appName) };
}

function appSource(app: SynthesizedApp, o: Resolved): ApplicationSpecSource {
  const { dir } = appSourcePath(app.name, o);
  const base = { repoUrl: o.repoURL, targetRevision: o.targetRevision, path: dir };
  return o.source === 'chart'
    ? { ...base, helm: { releaseName: app.name, valueFiles: ['values.yaml'] } }
    // dist/ holds every app (and canarykit's manifest, which is not a Kubernetes object): take one file.
    : { ...base, directory: { include: yamlFileName(app.name) } };
}

function syncPolicy(o: Resolved): ApplicationSpecSyncPolicy {
  // Pruning and self-healing are properties of automated sync; asking for either turns it on.
  const automated = o.automated || o.prune || o.selfHeal;
  return { automated: automated ? { prune: o.prune, selfHeal: o.selfHeal } : undefined };
}

/**
 * Exactly what the controller writes (model/controller-owned), e.g. the pod-template hash it adds to the
 * stable and canary selectors. Argo CD's default three-way diff ignores that one anyway, but server-side
 * diff would not (the selector is an atomic map), and with RespectIgnoreDifferences a sync keeps the live
 * value instead of stripping it.
 */
function controllerOwned(app: SynthesizedApp): ApplicationSpecIgnoreDifferences[] | undefined {
  const fields = controllerOwnedFields(app.model);
  return fields.length === 0 ? undefined : fields.map((f) => ({
    group: f.group, kind: f.kind, name: f.name, namespace: app.namespace, jsonPointers: [...f.jsonPointers],
  }));
}
