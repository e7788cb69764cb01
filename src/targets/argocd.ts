/**
 * The Argo CD target: one Application per app, whose source is what `canarykit synth` (or the Helm
 * target) wrote to Git, and a root app-of-apps Application whose source is the directory of those
 * Applications. Objects are ordered inside each app by their sync-wave annotations (see syncWave).
 */
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Application, ApplicationProps, ApplicationSpecIgnoreDifferences, ApplicationSpecSource, ApplicationSpecSyncPolicy } from '../../imports/argoproj.io';
import type { SynthesizedApp, SynthesizedLibrary } from '../constructs/synth';
import { compact, SYNC_WAVE_ANNOTATION } from '../constructs/metadata';
import { error, show, SpecIssue, SpecValidationError } from '../document/errors';
import { DNS1123_LABEL, DNS1123_SUBDOMAIN } from '../document/patterns';
import { httpUrl } from '../rules/text';
import { controllerOwnedFields } from '../model/controller-owned';
import { yamlFileName } from './yaml';
import { toYaml } from '../util/yaml-emitter';
import { DEFAULT_OUT_DIRS } from './output';

/** Where the child Applications go, relative to the output directory: the root app's source. */
export const APPS_DIR = 'apps';
/** The root app-of-apps Application, relative to the output directory: applied once by hand. */
export const ROOT_FILE = 'root.yaml';
/** Deleting an Application deletes the objects it synced (and, on the root, the child Applications). */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
const IN_CLUSTER = 'https://kubernetes.default.svc';

export type ArgoCdSource = 'dist' | 'chart';

/**
 * Every option with a default: what it means and the default, declared once for `withDefaults` and for the
 * `canarykit argocd` flags (whose help text is the description).
 */
export const ARGOCD_OPTIONS = {
  targetRevision: option('branch, tag or commit to sync', 'HEAD'),
  project: option('Argo CD project', 'default'),
  destinationServer: option('cluster the apps are deployed to', IN_CLUSTER),
  source: option<ArgoCdSource>('what each app syncs: its dist YAML or its Helm chart', 'dist'),
  distPath: option('directory `canarykit synth` wrote to', DEFAULT_OUT_DIRS.synth as string),
  chartsPath: option('directory holding one Helm chart per app', DEFAULT_OUT_DIRS.chart as string),
  outPath: option('output directory (inside the repository)', DEFAULT_OUT_DIRS.argocd as string),
  argocdNamespace: option('namespace Argo CD runs in', 'argocd'),
  rootName: option('name of the root app-of-apps Application', 'canarykit-apps'),
  automated: option('sync automatically', false),
  prune: option('automated sync deletes objects removed from Git (implies --automated)', false),
  selfHeal: option('automated sync reverts changes made in the cluster (implies --automated)', false),
  finalizers: option('deleting an Application deletes what it deployed (and, on the root, the child Applications)', true),
};

function option<T>(description: string, value: T): { readonly description: string; readonly default: T } {
  return { description, default: value };
}

/** The Git repository Argo CD reads (e.g. https://github.com/example/canarykit-deploy.git), and the options; paths are repository paths. */
export type ArgoCdOptions = { readonly repoURL: string }
  & { readonly [K in keyof typeof ARGOCD_OPTIONS]?: (typeof ARGOCD_OPTIONS)[K]['default'] };

/**
 * Sync wave of an AnalysisLibrary's Application in the app of apps: before the apps' (wave 0, the
 * default), so the root app creates the shared templates before any Rollout that runs them.
 */
export const LIBRARY_WAVE = -1;

/**
 * Relative paths (under the output directory) -> YAML: `apps/<app>.yaml` per app, `apps/<library>.yaml`
 * per AnalysisLibrary (in an earlier wave), and `root.yaml`.
 */
export function argocdFiles(apps: readonly SynthesizedApp[], options: ArgoCdOptions, libraries: readonly SynthesizedLibrary[] = []): Map<string, string> {
  const o = withDefaults(options);
  const bad = optionProblems(o);
  if (bad.length > 0) throw new SpecValidationError(bad);
  const names = [...libraries.map((l) => l.name), ...apps.map((a) => a.name), o.rootName];
  const clashes = names.filter((name, i) => names.indexOf(name) !== i);
  if (clashes.length > 0) {
    throw new SpecValidationError(clashes.map((name) => error(`${name}: metadata.name`,
      `${show(name)} names two Applications (apps and the root app-of-apps, --root-name, share one namespace, ${o.argocdNamespace}); rename the app or pass another --root-name`)));
  }

  const chart = new Chart(new App(), 'argocd');
  const application = (name: string, props: Omit<ApplicationProps, 'metadata'>, annotations?: Record<string, string>) => new Application(chart, name, {
    metadata: { name, namespace: o.argocdNamespace, annotations, finalizers: o.finalizers ? [RESOURCES_FINALIZER] : undefined },
    ...props,
  }).toJson();

  const files = new Map<string, string>();
  /** The Application of one unit (an app or a library) in the root's apps/ folder. */
  const child = (unit: SynthesizedApp | SynthesizedLibrary, spec: { ignoreDifferences?: ApplicationSpecIgnoreDifferences[] }, syncOptions: string[], annotations?: Record<string, string>) =>
    files.set(path.posix.join(APPS_DIR, `${unit.name}.yaml`), toYaml(application(unit.name, {
      spec: {
        project: o.project,
        source: appSource(unit, o),
        // A library's namespaced templates go to its namespace; ClusterAnalysisTemplates have none.
        destination: { server: o.destinationServer, namespace: unit.namespace },
        syncPolicy: { ...syncPolicy(o), syncOptions },
        ...spec,
      },
    }, annotations)));
  for (const library of libraries) child(library, {}, ['CreateNamespace=true'], { [SYNC_WAVE_ANNOTATION]: String(LIBRARY_WAVE) });
  for (const app of apps) child(app, { ignoreDifferences: controllerOwned(app) }, ['CreateNamespace=true', 'RespectIgnoreDifferences=true']);
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

/**
 * Options end up as object names, a namespace and URLs in files meant to be committed and applied: each is
 * checked as the API server and Argo CD will check it (`--root-name ../../etc/passwd` is no Application
 * name, `Bad NS!` no namespace, `not a url` no cluster).
 */
function optionProblems(o: Resolved): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const check = (flag: string, value: string, ok: boolean, rule: string) => { if (!ok) issues.push(error(flag, `${show(value)} ${rule}`)); };
  const subdomain = 'is not a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters): the API server refuses it as an object name';
  check('--root-name', o.rootName, DNS1123_SUBDOMAIN.test(o.rootName) && o.rootName.length <= 253, subdomain);
  check('--project', o.project, DNS1123_SUBDOMAIN.test(o.project) && o.project.length <= 253, subdomain);
  check('--argocd-namespace', o.argocdNamespace, DNS1123_LABEL.test(o.argocdNamespace) && o.argocdNamespace.length <= 63, 'is not a namespace name (a DNS-1123 label: lowercase letters, digits and "-", at most 63 characters)');
  issues.push(...httpUrl(o.destinationServer, '--dest-server'));
  // Argo CD takes https://, ssh:// and scp-like git@host:path URLs; whatever it is, one line without spaces.
  // eslint-disable-next-line no-control-regex
  check('--repo-url', o.repoURL, o.repoURL !== '' && !/[\s\x00-\x1f\x7f]/.test(o.repoURL), 'is not a repository URL (it is empty or has whitespace or control characters)');
  // eslint-disable-next-line no-control-regex
  check('--revision', o.targetRevision, o.targetRevision !== '' && !/[\s\x00-\x1f\x7f]/.test(o.targetRevision), 'is not a Git revision (it is empty or has whitespace or control characters)');
  return issues;
}

function withDefaults(options: ArgoCdOptions): Resolved {
  const defaults = Object.fromEntries(Object.entries(ARGOCD_OPTIONS).map(([key, option]) => [key, option.default]));
  return { ...defaults, ...compact(options) } as Resolved;
}

/** The repository path an app's Application reads, and the file or chart it needs there. */
export function appSourcePath(appName: string, options: ArgoCdOptions): { dir: string; required: string } {
  const o = withDefaults(options);
  return o.source === 'chart'
    ? { dir: path.posix.join(o.chartsPath, appName), required: 'Chart.yaml' }
    : { dir: o.distPath, required: yamlFileName(appName) };
}

function appSource(app: Pick<SynthesizedApp, 'name'>, o: Resolved): ApplicationSpecSource {
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
