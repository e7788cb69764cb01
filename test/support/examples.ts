/** The example specs, loaded and synthesized once per test file. */
import * as path from 'path';
import { loadSpecs } from '../../src/load/load';
import { synthDocuments, SynthesizedApp, KubeObject } from '../../src/constructs/synth';

export const ROOT = path.resolve(__dirname, '../..');
export const EXAMPLES_DIR = path.join(ROOT, 'examples');

export function exampleApps(): SynthesizedApp[] {
  const { apps, issues } = loadSpecs([EXAMPLES_DIR]);
  if (issues.some((i) => i.severity === 'error')) throw new Error(issues.map((i) => `${i.source}: ${i.path}: ${i.message}`).join('\n'));
  return synthDocuments(apps.map((a) => a.document));
}

export function byKind(objects: readonly KubeObject[], kind: string): KubeObject[] {
  return objects.filter((o) => o.kind === kind);
}

export function one(objects: readonly KubeObject[], kind: string, name?: string): KubeObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0];
}
