/**
 * The YAML parser kubectl and helm use (sigs.k8s.io/yaml, split into documents by kubectl's reader), run
 * as `.tools/bin/yamlcheck` (`scripts/tools.sh yamlcheck`): what canarykit writes must read back there as
 * the objects it meant, not only in the JavaScript `yaml` package.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './examples';

export const YAMLCHECK = process.env.CANARYKIT_YAMLCHECK ?? path.join(ROOT, '.tools', 'bin', 'yamlcheck');

/** The documents of `text` as Go reads them (empty documents skipped); throws with Go's message if it refuses them. */
export function goYamlDocuments(text: string): unknown[] {
  if (!fs.existsSync(YAMLCHECK)) throw new Error(`${YAMLCHECK} is missing: run scripts/tools.sh yamlcheck`);
  const r = spawnSync(YAMLCHECK, [], { input: text, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`Go's YAML parser refuses the text: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout) as unknown[];
}
