/**
 * From checked documents to Kubernetes objects, through the constructs. Every target starts here, so
 * YAML, Helm, Pulumi and Argo CD all see the same objects.
 */
import { App, Chart } from 'cdk8s';
import type { CanaryAppDocument } from './spec/types';
import type { ResolvedApp } from './spec/model';
import { resolve } from './spec/resolve';
import { CanaryApp } from './constructs/canary-app';

export type KubeObject = Record<string, any>;

export interface SynthesizedApp {
  readonly name: string;
  readonly namespace: string;
  readonly objects: readonly KubeObject[];
}

/** Objects of one resolved app, in dependency order (what the Rollout references comes first). */
export function synthModel(model: ResolvedApp): KubeObject[] {
  const chart = new Chart(new App(), model.name, { namespace: model.namespace, disableResourceNameHashes: true });
  CanaryApp.fromResolved(chart, model.name, model);
  return chart.toJson();
}

/** Objects of checked documents (see `loadSpecs`). */
export function synthDocuments(docs: readonly CanaryAppDocument[]): SynthesizedApp[] {
  return docs.map((doc) => {
    const model = resolve(doc.metadata, doc.spec);
    return { name: model.name, namespace: model.namespace, objects: synthModel(model) };
  });
}
