/** Real helm (`scripts/tools.sh helm` builds it into .tools/bin) run on charts generated into a temp dir. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../src/constructs/synth';
import { chartsFiles } from '../../../src/targets/helm/chart';
import { writeOutput } from '../../../src/targets/output';
import { libraryChartFiles } from '../../../src/targets/helm/library';
import { exampleDocuments, exampleLibraries, ROOT } from '../../support/examples';
import { tmp } from '../../support/tmp';

export const HELM = process.env.CANARYKIT_HELM ?? path.join(ROOT, '.tools', 'bin', 'helm');

/** Writes the examples' charts (their AnalysisLibraries' too, as `canarykit chart` does) to a fresh temp dir; returns it. */
export function writeExampleCharts(): string {
  if (!fs.existsSync(HELM)) throw new Error(`${HELM} is missing: run scripts/tools.sh helm`);
  const dir = tmp('charts');
  writeOutput(dir, [...exampleLibraries().flatMap((l) => [...libraryChartFiles(l.model)]), ...chartsFiles(exampleDocuments())]);
  return dir;
}

export interface HelmResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function helm(args: readonly string[]): HelmResult {
  try {
    const stdout = execFileSync(HELM, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HELM_CACHE_HOME: os.tmpdir() } });
    return { status: 0, stdout, stderr: '' };
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    return { status: err.status ?? 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

/**
 * `helm template` objects of a chart; throws with helm's message when rendering fails. `args` are extra
 * flags (`--set` parses integers and booleans only: floats need `--set-json`, strings like `true` `--set-string`).
 */
export function render(chartDir: string, release: string, namespace: string, args: readonly string[] = []): KubeObject[] {
  const r = helm(['template', release, chartDir, '--namespace', namespace, ...args]);
  if (r.status !== 0) throw new Error(`helm template failed: ${r.stderr}`);
  return parseAllDocuments(r.stdout).map((d) => d.toJS()).filter((o): o is KubeObject => o !== null);
}

/** Objects in a canonical order, for order-insensitive comparison. */
export function sorted(objects: readonly KubeObject[]): KubeObject[] {
  const key = (o: KubeObject) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
  return [...objects].sort((a, b) => key(a).localeCompare(key(b)));
}
