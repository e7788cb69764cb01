/** The plain YAML target: one multi-document `<app>.k8s.yaml` per app, as `cdk8s synth` would write. */
import type { SynthesizedApp } from '../synth';
import { toYamlDocuments } from './yaml-emitter';

export function yamlFileName(appName: string): string {
  return `${appName}.k8s.yaml`;
}

export function yamlFiles(apps: readonly SynthesizedApp[]): Map<string, string> {
  return new Map(apps.map((app) => [yamlFileName(app.name), toYamlDocuments(app.objects)]));
}
