/**
 * Reads spec files: YAML, several documents per file, directories expanded to their `*.yaml`/`*.yml`
 * files in sorted order so the result never depends on the order paths were given in.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { error, SpecIssue } from './errors';
import { parseDocument } from './parse';
import type { CanaryAppDocument } from './types';

export interface LoadedApp {
  readonly source: string;
  readonly document: CanaryAppDocument;
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

/** Parses spec text; `source` names it in messages. Documents of other kinds are errors, not skipped. */
export function loadText(text: string, source: string): LoadResult {
  const apps: LoadedApp[] = [];
  const issues: LoadIssue[] = [];
  const docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, index) => {
    const at = list.length > 1 ? `document ${index + 1}: ` : '';
    if (doc.errors.length > 0) {
      for (const e of doc.errors) issues.push({ ...error(`${at}yaml`, e.message.split('\n')[0]), source });
      return;
    }
    const value = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return;
    const result = parseDocument(value);
    const name = typeof value?.metadata?.name === 'string' ? `${value.metadata.name}: ` : at;
    for (const issue of result.issues) issues.push({ ...issue, path: `${name}${issue.path}`, source });
    if (result.value) apps.push({ source, document: result.value });
  });
  return { apps, issues };
}

export function loadSpecs(inputs: readonly string[]): LoadResult {
  const { files, issues } = specFiles(inputs);
  const apps: LoadedApp[] = [];
  const all: LoadIssue[] = [...issues];
  for (const file of files) {
    const result = loadText(fs.readFileSync(file, 'utf8'), file);
    apps.push(...result.apps);
    all.push(...result.issues);
  }
  // The app name names its output file and chart, so it is unique across all inputs.
  const seen = new Map<string, string>();
  for (const app of apps) {
    const key = app.document.metadata.name;
    const first = seen.get(key);
    if (first) all.push({ ...error(`${key}: metadata.name`, `duplicate app name ${JSON.stringify(key)} (also in ${first})`), source: app.source });
    else seen.set(key, app.source);
  }
  return { apps, issues: all };
}
