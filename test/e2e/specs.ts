/**
 * The e2e specs (test/e2e/specs/*.yaml) through canarykit's real pipeline: text -> loadText ->
 * synthDocuments -> toYamlDocuments, i.e. exactly what `canarykit synth` writes.
 *
 * The spec files are examples/ with test-sized timings; `${NAME}` placeholders (namespace, image
 * tag, loopback addresses) are substituted first, so one file serves several scenarios.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadText } from '../../src/load/load';
import { formatIssue } from '../../src/document/errors';
import { KubeObject, synthDocuments } from '../../src/constructs/synth';
import { toYamlDocuments } from '../../src/util/yaml-emitter';

export const SPECS_DIR = path.join(__dirname, 'specs');

export interface Synthesized {
  /** Every object, in canarykit's order. */
  readonly objects: readonly KubeObject[];
  /** The same as one multi-document YAML stream (what `canarykit synth` writes). */
  readonly yaml: string;
}

/** Loads `specs/<file>` with `${KEY}` replaced by `vars[KEY]` and synthesizes it. Throws with every spec issue. */
export function synthSpec(file: string, vars: Readonly<Record<string, string>>): Synthesized {
  const source = path.join(SPECS_DIR, file);
  const text = fs.readFileSync(source, 'utf8').replace(/\$\{([A-Z_]+)\}/g, (m, key: string) => {
    if (!(key in vars)) throw new Error(`${file}: no value for placeholder ${m}`);
    return vars[key];
  });
  const { apps, issues } = loadText(text, source);
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length || apps.length !== 1) {
    const shown = issues.map((i) => formatIssue(i, i.source)).join('\n');
    throw new Error(`${file}: expected one valid CanaryApp, got ${apps.length}:\n${shown}`);
  }
  const [app] = synthDocuments(apps.map((a) => a.document));
  return { objects: app.objects, yaml: toYamlDocuments(app.objects) };
}
