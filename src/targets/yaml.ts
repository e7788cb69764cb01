/** The plain YAML target: one multi-document `<app>.k8s.yaml` per app, as `cdk8s synth` would write. */
import type { SynthesizedApp } from '../constructs/synth';
import { toYamlDocuments } from '../util/yaml-emitter';

export function yamlFileName(appName: string): string {
  return `${appName}.k8s.yaml`;
}

/** File name and content per app, each produced when its app is (`apps` may be `synthEach`). */
export function* yamlFiles(apps: Iterable<SynthesizedApp>): Generator<[string, string], void> {
  for (const app of apps) yield [yamlFileName(app.name), toYamlDocuments(app.objects)];
}
