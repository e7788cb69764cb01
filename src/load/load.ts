/**
 * Reads spec files: YAML, several documents per file, directories expanded to their `*.yaml`/`*.yml`
 * files in sorted order so the result never depends on the order paths were given in.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CORE_SCHEMA, loadAll, YAMLException } from 'js-yaml';
import { error, SpecIssue } from '../document/errors';
import { DEFAULTS } from '../document/defaults';
import { libraryReferenceIssues, MAX_DEPTH, parseDocument, parseLibrary } from './parse';
import { LIBRARY_KIND } from '../document/constants';
import type { AnalysisLibraryDocument, CanaryAppDocument } from '../document/types';
import type { ResolvedApp, ResolvedLibrary } from '../model/model';
import type { LibraryIndex } from '../rules/context';

export interface LoadedApp {
  readonly source: string;
  readonly document: CanaryAppDocument;
  /** The document resolved (see `resolve`), for the targets. */
  readonly model: ResolvedApp;
}

/** A checked `kind: AnalysisLibrary` document. */
export interface LoadedLibrary {
  readonly source: string;
  readonly document: AnalysisLibraryDocument;
  readonly model: ResolvedLibrary;
}

export interface LoadIssue extends SpecIssue {
  readonly source: string;
}

export interface LoadResult {
  readonly apps: readonly LoadedApp[];
  readonly libraries: readonly LoadedLibrary[];
  readonly issues: readonly LoadIssue[];
}

/** Expands files and directories into the sorted, de-duplicated list of spec files. */
export function specFiles(inputs: readonly string[]): { files: string[]; issues: LoadIssue[] } {
  const files = new Set<string>();
  const issues: LoadIssue[] = [];
  for (const input of inputs) {
    const stat = statOrIssue(input, issues);
    if (stat?.isDirectory()) {
      for (const entry of fs.readdirSync(input)) {
        if (!/\.ya?ml$/.test(entry)) continue;
        // A `*.yaml` entry must be a spec file: a dangling or looping link, a folder or a FIFO so named is
        // an error, not an internal one (or a read that never returns).
        const file = path.join(input, entry);
        if (statOrIssue(file, issues)) files.add(file);
      }
    } else if (stat) {
      files.add(input);
    }
  }
  return { files: [...files].sort(), issues };
}

/** The file's stat when it can be read as a spec (a regular file, or a directory when `input` was named); else an issue. */
function statOrIssue(file: string, issues: LoadIssue[]): fs.Stats | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const link = fs.lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink();
    const why = code === 'ELOOP' ? 'is a symbolic link that loops' : link ? 'is a symbolic link to nothing (dangling)' : code === 'ENOENT' ? 'no such file or directory' : `cannot be read (${code})`;
    issues.push({ ...error('', why), source: file });
    return undefined;
  }
  if (stat.isFile() || stat.isDirectory()) return stat;
  issues.push({ ...error('', 'is not a regular file (a FIFO, socket or device); spec files are regular files'), source: file });
  return undefined;
}

/** Largest spec file read. The biggest real spec is a few KiB; a fleet in one file stays far below this. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * The text of one spec file, decoded as strict UTF-8: a byte that is not UTF-8 (a Latin-1 `é`, say) is an
 * error naming its line, never silently U+FFFD. Opened without blocking and checked to be a regular file
 * on the open descriptor, so a file swapped for a FIFO after `specFiles` looked cannot hang the run.
 */
export function readSpecFile(file: string): { text?: string; issue?: LoadIssue } {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    return { issue: { ...error('', `cannot be read (${(e as NodeJS.ErrnoException).code})`), source: file } };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { issue: { ...error('', stat.isDirectory() ? 'is a directory, not a spec file' : 'is not a regular file (a FIFO, socket or device); spec files are regular files'), source: file } };
    if (stat.size > MAX_FILE_BYTES) return { issue: { ...error('', `is ${stat.size} bytes; spec files are at most ${MAX_FILE_BYTES}`), source: file } };
    const bytes = fs.readFileSync(fd);
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
    } catch {
      return { issue: { ...error('', notUtf8(bytes)), source: file } };
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Where the first byte that is not UTF-8 is, for the message. */
function notUtf8(bytes: Buffer): string {
  let i = 0;
  while (i < bytes.length) {
    const n = utf8Length(bytes, i);
    if (n === 0) break;
    i += n;
  }
  let line = 1;
  for (let j = 0; j < i; j++) if (bytes[j] === 0x0a) line++;
  return `is not UTF-8 text: byte 0x${bytes[i].toString(16).padStart(2, '0')} at offset ${i} (line ${line}); save the file as UTF-8`;
}

/** The length of the well-formed UTF-8 sequence at `i` (RFC 3629: no overlongs, surrogates or > U+10FFFF), else 0. */
function utf8Length(b: Buffer, i: number): number {
  const c = b[i];
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const [lo, hi] = c === 0xe0 ? [0xa0, 0xbf] : c === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const [lo, hi] = c === 0xf0 ? [0x90, 0xbf] : c === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/**
 * Largest expanded document, in nodes. js-yaml shares aliased nodes instead of copying them, so a
 * "billion laughs" file is small in memory but would make every later walk over it exponential.
 */
const MAX_NODES = 100_000;

/** Most documents in one file: a fleet of apps fits; 150,000 documents (each with errors) is a mistake or an attack. */
export const MAX_DOCUMENTS = 10_000;

/**
 * Parses spec text; `source` names it in messages. CanaryApp and AnalysisLibrary documents are read;
 * documents of other kinds are errors, not skipped.
 */
export function loadText(text: string, source: string): LoadResult {
  const apps: LoadedApp[] = [];
  const libraries: LoadedLibrary[] = [];
  const issues: LoadIssue[] = [];
  let docs: unknown[];
  try {
    // YAML 1.2 core schema: no timestamps or merge keys, so `2024-01-01` and `<<` stay what they look like.
    docs = loadAll(text, undefined, { schema: CORE_SCHEMA, filename: source });
  } catch (e) {
    // js-yaml composes nodes recursively: thousands of nested brackets exhaust the stack before any
    // depth check of ours could run.
    if (e instanceof RangeError && /call stack/.test(e.message)) {
      issues.push({ ...error('yaml', `nested too deeply to read (spec documents nest at most ${MAX_DEPTH} levels)`), source });
      return { apps, libraries, issues };
    }
    if (!(e instanceof YAMLException)) throw e;
    issues.push({ ...error('yaml', `${e.reason} (line ${e.mark.line + 1}, column ${e.mark.column + 1})`), source });
    return { apps, libraries, issues };
  }
  if (docs.length > MAX_DOCUMENTS) {
    issues.push({ ...error('yaml', `has ${docs.length} documents; a file holds at most ${MAX_DOCUMENTS} (split it into several files)`), source });
    return { apps, libraries, issues };
  }
  docs.forEach((value, index) => {
    const at = docs.length > 1 ? `document ${index + 1}: ` : '';
    if (value === null || value === undefined) return;
    if (!withinSize(value, MAX_NODES)) {
      issues.push({ ...error(`${at}yaml`, `expands to more than ${MAX_NODES} nodes (aliases?)`), source });
      return;
    }
    const library = (value as { kind?: unknown }).kind === LIBRARY_KIND;
    const result = library ? parseLibrary(value) : parseDocument(value);
    const meta = (value as { metadata?: { name?: unknown } }).metadata;
    const name = typeof meta?.name === 'string' ? `${meta.name}: ` : at;
    for (const issue of result.issues) issues.push({ ...issue, path: `${name}${issue.path}`, source });
    if (!result.value) return;
    if (library) libraries.push({ source, document: result.value as AnalysisLibraryDocument, model: result.model as ResolvedLibrary });
    else apps.push({ source, document: result.value as CanaryAppDocument, model: result.model as ResolvedApp });
  });
  return { apps, libraries, issues };
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
export function loadSpecs(inputs: readonly string[]): LoadResult {
  const { files, issues } = specFiles(inputs);
  const apps: LoadedApp[] = [];
  const libraries: LoadedLibrary[] = [];
  const all: LoadIssue[] = [...issues];
  for (const file of files) {
    const { text, issue } = readSpecFile(file);
    if (issue) {
      all.push(issue);
      continue;
    }
    const result = loadText(text!, file);
    // Loops, not push(...): a file of 150,000 documents would overflow the stack as spread arguments.
    for (const app of result.apps) apps.push(app);
    for (const library of result.libraries) libraries.push(library);
    for (const i of result.issues) all.push(i);
  }
  all.push(...duplicateNames([...apps, ...libraries].map((a) => ({ name: a.document.metadata.name, source: a.source }))));
  for (const i of referenceIssues(apps, libraries)) all.push(i);
  return { apps, libraries, issues: all };
}

/** The libraries of a run, as the reference rules read them. */
export function libraryIndex(libraries: readonly Pick<LoadedLibrary, 'document'>[]): LibraryIndex {
  return new Map(libraries.map(({ document: { metadata, spec } }) => [metadata.name, {
    namespace: metadata.namespace ?? DEFAULTS.namespace,
    templates: new Map(spec.analysisTemplates.map((tpl) => [tpl.name, tpl])),
  }]));
}

/**
 * What only the whole run shows: each app's references to the templates of the libraries (which may be
 * in other files), checked once every file is read.
 */
export function referenceIssues(apps: readonly Pick<LoadedApp, 'document' | 'source'>[], libraries: readonly Pick<LoadedLibrary, 'document'>[]): LoadIssue[] {
  const index = libraryIndex(libraries);
  return apps.flatMap(({ document, source }) => libraryReferenceIssues(document, index)
    .map((issue) => ({ ...issue, path: `${document.metadata.name}: ${issue.path}`, source })));
}

/** An app's or library's name names its output file and chart, so it is unique across all inputs: one error per repeat. */
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
