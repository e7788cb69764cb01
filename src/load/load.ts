/**
 * Reads spec files: YAML, several documents per file, directories expanded to their `*.yaml`/`*.yml`
 * files in sorted order so the result never depends on the order paths were given in.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CORE_SCHEMA, loadAll, YAMLException } from 'js-yaml';
import { error, SpecIssue } from '../document/errors';
import { parseDocument } from './parse';
import type { CanaryAppDocument } from '../document/types';
import type { ResolvedApp } from '../model/model';

export interface LoadedApp {
  readonly source: string;
  readonly document: CanaryAppDocument;
  /** The document resolved (see `resolve`), for the targets. */
  readonly model: ResolvedApp;
}

export interface LoadIssue extends SpecIssue {
  readonly source: string;
}

export interface LoadResult {
  readonly apps: readonly LoadedApp[];
  readonly issues: readonly LoadIssue[];
}

/** Expands files and directories into the sorted, de-duplicated list of spec files. */
export function specFiles(inputs: readonly string[]): { files: string[]; issues: LoadIssue[] } {
  const files = new Set<string>();
  const issues: LoadIssue[] = [];
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch {
      issues.push({ ...error('', 'no such file or directory'), source: input });
      continue;
    }
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(input)) {
        if (/\.ya?ml$/.test(entry)) files.add(path.join(input, entry));
      }
    } else {
      files.add(input);
    }
  }
  return { files: [...files].sort(), issues };
}

/**
 * Largest expanded document, in nodes. js-yaml shares aliased nodes instead of copying them, so a
 * "billion laughs" file is small in memory but would make every later walk over it exponential.
 */
const MAX_NODES = 100_000;

/** Parses spec text; `source` names it in messages. Documents of other kinds are errors, not skipped. */
export function loadText(text: string, source: string): LoadResult {
  const apps: LoadedApp[] = [];
  const issues: LoadIssue[] = [];
  let docs: unknown[];
  try {
    // YAML 1.2 core schema: no timestamps or merge keys, so `2024-01-01` and `<<` stay what they look like.
    docs = loadAll(text, undefined, { schema: CORE_SCHEMA, filename: source });
  } catch (e) {
    if (!(e instanceof YAMLException)) throw e;
    issues.push({ ...error('yaml', `${e.reason} (line ${e.mark.line + 1}, column ${e.mark.column + 1})`), source });
    return { apps, issues };
  }
  docs.forEach((value, index) => {
    const at = docs.length > 1 ? `document ${index + 1}: ` : '';
    if (value === null || value === undefined) return;
    if (!withinSize(value, MAX_NODES)) {
      issues.push({ ...error(`${at}yaml`, `expands to more than ${MAX_NODES} nodes (aliases?)`), source });
      return;
    }
    const result = parseDocument(value);
    const meta = (value as { metadata?: { name?: unknown } }).metadata;
    const name = typeof meta?.name === 'string' ? `${meta.name}: ` : at;
    for (const issue of result.issues) issues.push({ ...issue, path: `${name}${issue.path}`, source });
    if (result.value) apps.push({ source, document: result.value, model: result.model! });
  });
  return { apps, issues };
}

/** Counts nodes as a reader of the expanded document would, stopping at the budget. */
function withinSize(value: unknown, budget: number): boolean {
  const stack = [value];
  let seen = 0;
  while (stack.length > 0) {
    const v = stack.pop();
    if (++seen > budget) return false;
    if (v !== null && typeof v === 'object') for (const key in v) stack.push((v as Record<string, unknown>)[key]);
  }
  return true;
}

/** A spec file's text (every command reads spec files through this). */
export function readSpecText(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

export function loadSpecs(inputs: readonly string[]): LoadResult {
  const { files, issues } = specFiles(inputs);
  const apps: LoadedApp[] = [];
  const all: LoadIssue[] = [...issues];
  for (const file of files) {
    const result = loadText(readSpecText(file), file);
    apps.push(...result.apps);
    all.push(...result.issues);
  }
  all.push(...duplicateNames(apps.map((a) => ({ name: a.document.metadata.name, source: a.source }))));
  return { apps, issues: all };
}

/** The app name names its output file and chart, so it is unique across all inputs: one error per repeat. */
export function duplicateNames(apps: Iterable<{ readonly name: string; readonly source: string }>): LoadIssue[] {
  const seen = new Map<string, string>();
  const issues: LoadIssue[] = [];
  for (const { name, source } of apps) {
    const first = seen.get(name);
    if (first) issues.push({ ...error(`${name}: metadata.name`, `duplicate app name ${JSON.stringify(name)} (also in ${first})`), source });
    else seen.set(name, source);
  }
  return issues;
}
