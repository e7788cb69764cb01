/** The example specs (examples/*.yaml): their files, their raw YAML, their documents and their synthesized apps. */
import * as fs from 'fs';
import * as path from 'path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { loadSpecs, LoadedLibrary } from '../../src/load/load';
import { formatIssue } from '../../src/document/errors';
import type { CanaryAppDocument } from '../../src/document/types';
import { synthDocuments, SynthesizedApp, KubeObject } from '../../src/constructs/synth';

export const ROOT = path.resolve(__dirname, '../..');
export const EXAMPLES_DIR = path.join(ROOT, 'examples');

/** Absolute paths of examples/*.yaml, sorted. */
export function exampleFiles(): string[] {
  return fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(EXAMPLES_DIR, f));
}

/**
 * The example files that stand alone, as one file given to a command (`canarykit synth <file>`): CanaryApps
 * that reference no AnalysisLibrary (an app that does needs its library's file beside it).
 */
export function standaloneExampleFiles(): string[] {
  return exampleFiles().filter((f) => {
    const text = fs.readFileSync(f, 'utf8');
    return !/^kind: AnalysisLibrary$/m.test(text) && !/\blibrary: /.test(text);
  });
}

/** examples/<file> as plain data, parsed as canarykit parses spec files (YAML core schema), before any validation. */
export function exampleSource(file: string): Record<string, any> {
  return load(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'), { schema: CORE_SCHEMA }) as Record<string, any>;
}

/** Every example's validated document; throws with every error if one is invalid. */
export function exampleDocuments(): CanaryAppDocument[] {
  const { apps, issues } = loadSpecs([EXAMPLES_DIR]);
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((i) => formatIssue(i, i.source)).join('\n'));
  return apps.map((a) => a.document);
}

/** Every example AnalysisLibrary, checked (with the apps that reference it); throws with every error if one is invalid. */
export function exampleLibraries(): LoadedLibrary[] {
  const { libraries, issues } = loadSpecs([EXAMPLES_DIR]);
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((i) => formatIssue(i, i.source)).join('\n'));
  return [...libraries];
}

/** Every example, synthesized. */
export function exampleApps(): SynthesizedApp[] {
  return synthDocuments(exampleDocuments());
}

export function byKind(objects: readonly KubeObject[], kind: string): KubeObject[] {
  return objects.filter((o) => o.kind === kind);
}

export function one(objects: readonly KubeObject[], kind: string, name?: string): KubeObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0];
}
