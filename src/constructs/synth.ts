/**
 * From checked documents to Kubernetes objects, through the constructs. Every target starts here, so
 * YAML, Helm, Pulumi and Argo CD all see the same objects.
 */
import { App, Chart } from 'cdk8s';
import type { CanaryAppDocument } from '../document/types';
import type { ResolvedApp, ResolvedLibrary } from '../model/model';
import { resolve } from '../model/resolve';
import { ResolvedCanaryApp } from './canary-app';
import { AnalysisLibrary } from './analysis-library';
import { error, SpecIssue, SpecValidationError } from '../document/errors';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON, as cdk8s' Chart.toJson() returns it
export type KubeObject = Record<string, any>;

export interface SynthesizedApp {
  readonly name: string;
  readonly namespace: string;
  readonly objects: readonly KubeObject[];
  /** The model the objects were built from (what targets need beyond the objects: controller-owned fields). */
  readonly model: ResolvedApp;
}

/** The objects of an AnalysisLibrary: its templates. */
export interface SynthesizedLibrary {
  readonly name: string;
  readonly namespace: string;
  readonly objects: readonly KubeObject[];
  readonly library: ResolvedLibrary;
}

/** Objects of one resolved AnalysisLibrary, in the order of its templates. */
export function synthLibrary(library: ResolvedLibrary): KubeObject[] {
  const chart = new Chart(new App(), library.name, { namespace: library.namespace, disableResourceNameHashes: true });
  new AnalysisLibrary(chart, library.name, { library });
  return chart.toJson();
}

/** Objects of one resolved app, in dependency order (what the Rollout references comes first). */
export function synthModel(model: ResolvedApp): KubeObject[] {
  const chart = new Chart(new App(), model.name, { namespace: model.namespace, disableResourceNameHashes: true });
  new ResolvedCanaryApp(chart, model.name, { model });
  return chart.toJson();
}

/**
 * Objects of checked documents (see `loadSpecs`). Throws a `SpecValidationError` when two apps would
 * write the same object, which no single spec can show: app `web`'s canary Service is `web-canary`, and
 * so is the root Service of an app named `web-canary` in the same namespace.
 */
export function synthDocuments(docs: readonly CanaryAppDocument[]): SynthesizedApp[] {
  return [...synthEach(docs.map((doc) => resolve(doc.metadata, doc.spec)))];
}

/**
 * Objects of resolved apps (`LoadedApp.model`) one app at a time, so each can be written while the next
 * is built and dropped after. The collision check ends with the last app, so nothing may be committed
 * before the iteration has.
 */
export function* synthEach(models: readonly ResolvedApp[]): Generator<SynthesizedApp, void> {
  yield* synthAll(models, []) as Generator<SynthesizedApp, void>;
}

/**
 * As `synthEach`, with the AnalysisLibraries of the run first (what the apps reference), their
 * templates in the same collision check: a library's template named like an app's object is an error.
 */
export function* synthAll(models: readonly ResolvedApp[], libraries: readonly ResolvedLibrary[]): Generator<SynthesizedApp | SynthesizedLibrary, void> {
  const owners = new Map<string, string>();
  const collisions: SpecIssue[] = [];
  for (const library of libraries) {
    const unit = { name: library.name, namespace: library.namespace, objects: synthLibrary(library), library };
    collisions.push(...claimObjects(unit.name, objectKeys(unit.objects), owners));
    yield unit;
  }
  for (const model of models) {
    const app = { name: model.name, namespace: model.namespace, objects: synthModel(model), model };
    collisions.push(...claimObjects(app.name, objectKeys(app.objects), owners));
    yield app;
  }
  if (collisions.length > 0) throw new SpecValidationError(collisions);
}

/** Each object's identity for the collision check: API group, kind, namespace and name. */
export function objectKeys(objects: readonly KubeObject[]): string[] {
  return objects.map((obj) => {
    const { namespace, name } = obj.metadata;
    return `${obj.apiVersion.split('/')[0]} ${obj.kind} ${namespace ? `${namespace}/` : ''}${name}`;
  });
}

/**
 * Records the app as owner of its objects (by their `objectKeys`) in `owners`; one error per object an
 * earlier app already owns. A run that skips synthesizing unchanged apps claims their recorded keys in
 * their place (see targets/incremental.ts), so its errors are those of a full run.
 */
export function claimObjects(appName: string, keys: readonly string[], owners: Map<string, string>): SpecIssue[] {
  const issues: SpecIssue[] = [];
  for (const key of keys) {
    const owner = owners.get(key);
    if (owner === undefined) owners.set(key, appName);
    // The key without its API group, as a user names the object.
    else issues.push(error(`${appName}: metadata.name`, `${key.slice(key.indexOf(' ') + 1)} is also an object of app ${owner}; object names must be unique per kind and namespace`));
  }
  return issues;
}
