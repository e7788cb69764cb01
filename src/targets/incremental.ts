/**
 * `canarykit synth` without synthesizing again what has not changed. Platform teams run synth in
 * pre-commit hooks and CI on every commit, and the common case is one app changed in a large fleet.
 *
 * A memo maps each spec file (its path and content, by sha256) to what it produced: its apps' names,
 * the identities of their objects (so the cross-app collision check still sees every app) and the sha256
 * of each output file. A file is not read again when its memo entry exists for this build of canarykit
 * and this output directory, and every output file it produced is still there with that content; its
 * apps then keep their files as they are. Anything else (a byte changed in the spec, in the output, in
 * canarykit) synthesizes the file's apps again.
 *
 * The memo is a local cache (`$XDG_CACHE_HOME/canarykit`, else `~/.cache/canarykit`), never a file in
 * the output directory: that one is committed, and a memo there could be forged by a pull request to
 * make `--check` vouch for output the specs do not produce.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { claimObjects } from '../constructs/synth';
import { SpecIssue, SpecValidationError } from '../document/errors';
import type { AnalysisLibraryDocument, CanaryAppDocument } from '../document/types';
import { duplicateNames, LoadIssue, readSpecFile, referenceIssues, specFiles } from '../load/load';
import { contentHash, OutputFile } from './output';
import { documentCount, loadHere, LoadedFile, loadParallel, SpecText, threadsFor } from './parallel';

export interface MemoOptions {
  /** Identity of the running canarykit (the sha256 of its bundle); no memo without it. */
  readonly build?: string;
  /** Read and write the memo (`--no-cache` turns it off). */
  readonly useMemo: boolean;
  /** Where the memo lives; default `$XDG_CACHE_HOME/canarykit` or `~/.cache/canarykit`. */
  readonly cacheDir?: string;
  /** Threads to synthesize on (`--jobs`); default every core for a large fleet (see parallel.ts). */
  readonly jobs?: number;
  /** A script that runs `synthWorker` in a worker thread (the installed bin); one thread without it. */
  readonly workerEntry?: string;
}

export interface SynthPlan {
  /** Load problems of every file, warnings included, in the order a full run reports them. */
  readonly issues: readonly LoadIssue[];
  readonly apps: number;
  /** Apps whose output is reused as it is. */
  readonly reused: number;
  /** Threads the other apps are loaded and synthesized on. */
  readonly threads: number;
  /** Each app's file, synthesized or reused, in order; throws a SpecValidationError on colliding objects at the end. */
  files(): Generator<OutputFile, void>;
  /** Records what this run produced, once it is written. */
  saveMemo(): void;
}

interface MemoApp { readonly name: string; readonly keys: readonly string[]; readonly file: string; readonly hash: string }
/**
 * What a spec file produced (`apps`: its apps' and libraries' files), the AnalysisLibrary documents it
 * holds, and the digest of the run's libraries it was checked against: its apps' references to their
 * templates hold while that is the same.
 */
interface MemoEntry {
  readonly source: string; readonly apps: readonly MemoApp[]; readonly warnings: readonly LoadIssue[];
  readonly libraries: readonly AnalysisLibraryDocument[]; readonly checkedAgainst: string;
}
interface Memo { readonly build: string; readonly files: Readonly<Record<string, MemoEntry>> }

/** A spec file whose output is reused as it is. */
interface Reused { readonly key: string; readonly memo: MemoEntry; readonly contents: readonly string[] }
/** A spec file as read: maybe reused (if it was checked against this run's libraries), to be loaded, or unreadable. */
type Read =
  | Reused & { readonly spec: SpecText }
  | { readonly key: string; readonly spec: SpecText }
  | { readonly key: string; readonly source: string; readonly issue: LoadIssue };
type Input = Reused | { readonly key: string; readonly source: string; readonly loaded: LoadedFile };

export function planSynth(inputs: readonly string[], outDir: string, options: MemoOptions): SynthPlan {
  const memoFile = options.build === undefined || !options.useMemo ? undefined : path.join(options.cacheDir ?? defaultCacheDir(), `synth-${contentHash(path.resolve(outDir))}.json`);
  const memo = memoFile ? readMemo(memoFile, options.build!) : undefined;
  const { files, issues: fileIssues } = specFiles(inputs);
  // Each file may be reused from the memo, is unreadable, or is to be loaded (by this thread or a worker).
  const read = files.map((source): Read => {
    const { text = '', issue } = readSpecFile(source);
    if (issue) return { key: contentHash(`${source}\0unreadable`), source, issue };
    const key = contentHash(`${source}\0${text}`);
    const entry = memo?.files[key];
    const contents = entry && intactOutput(outDir, entry);
    return entry && contents ? { key, memo: entry, contents, spec: { source, text } } : { key, spec: { source, text } };
  });
  const fresh = new Map<Read, LoadedFile>();
  let threads = 1;
  const load = (batch: readonly Read[]) => {
    const specs = batch.map((r) => (r as { spec: SpecText }).spec);
    const n = options.workerEntry === undefined ? 1 : threadsFor(specs.reduce((sum, spec) => sum + documentCount(spec.text), 0), options.jobs);
    threads = Math.max(threads, n);
    const results = n > 1 ? loadParallel(specs, n, options.workerEntry!) : specs.map(loadHere);
    batch.forEach((r, i) => fresh.set(r, results[i]));
  };
  load(read.filter((r) => 'spec' in r && !('memo' in r)));
  // Every library of the run, from the files loaded and the memo of those that may be reused (same content, same libraries).
  const libraries = read.flatMap((r) => ('memo' in r ? r.memo.libraries : fresh.get(r)?.libraries ?? []));
  const digest = contentHash(JSON.stringify(libraries));
  // A file checked against other libraries is loaded again: its references are checked against these.
  // Its output does not change (synthesis does not read the libraries), so the second batch of a run is
  // rare (a library changed) and as large as the memo entries it outdates.
  load(read.filter((r) => 'memo' in r && r.memo.checkedAgainst !== digest));
  const loaded: Input[] = read.map((r) => {
    const file = fresh.get(r);
    if ('issue' in r) return { key: r.key, source: r.source, loaded: { issues: [r.issue], names: [], libraries: [], apps: [], outputs: () => [] } };
    if (file === undefined && 'memo' in r) return { key: r.key, memo: r.memo, contents: r.contents };
    return { key: r.key, source: r.spec.source, loaded: file! };
  });
  const names: { name: string; source: string }[] = [];
  const issues: LoadIssue[] = [...fileIssues];
  const referrers: { document: CanaryAppDocument; source: string }[] = [];
  for (const input of loaded) {
    if ('memo' in input) {
      issues.push(...input.memo.warnings);
      for (const app of input.memo.apps) names.push({ name: app.name, source: input.memo.source });
    } else {
      issues.push(...input.loaded.issues);
      for (const name of input.loaded.names) names.push({ name, source: input.source });
      for (const document of input.loaded.apps) referrers.push({ document, source: input.source });
    }
  }
  issues.push(...duplicateNames(names));
  issues.push(...referenceIssues(referrers, libraries.map((document) => ({ document }))));

  const produced = new Map<string, MemoEntry>();
  return {
    issues,
    apps: names.length,
    threads,
    reused: loaded.reduce((n, input) => n + ('memo' in input ? input.memo.apps.length : 0), 0),
    *files() {
      const owners = new Map<string, string>();
      const collisions: SpecIssue[] = [];
      for (const input of loaded) {
        if ('memo' in input) {
          for (const [i, app] of input.memo.apps.entries()) {
            collisions.push(...claimObjects(app.name, app.keys, owners));
            yield [app.file, input.contents[i], app.hash];
          }
          produced.set(input.key, input.memo);
          continue;
        }
        const apps: MemoApp[] = [];
        for (const { name, keys, file, content, hash } of input.loaded.outputs()) {
          collisions.push(...claimObjects(name, keys, owners));
          apps.push({ name, keys, file, hash });
          yield [file, content, hash];
        }
        produced.set(input.key, {
          source: input.source, apps, warnings: input.loaded.issues.filter((i) => i.severity === 'warning'),
          libraries: input.loaded.libraries, checkedAgainst: digest,
        });
      }
      if (collisions.length > 0) throw new SpecValidationError(collisions);
    },
    saveMemo() {
      // A memo of files all reused from it would be written as it was read.
      const changed = loaded.some((input) => !('memo' in input)) || Object.keys(memo?.files ?? {}).length !== produced.size;
      if (memoFile && changed) writeMemo(memoFile, { build: options.build!, files: Object.fromEntries(produced) });
    },
  };
}

function defaultCacheDir(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'canarykit');
}

/** The reused files' contents, when each is a regular file with the recorded sha256; else undefined. */
function intactOutput(outDir: string, entry: MemoEntry): string[] | undefined {
  const contents: string[] = [];
  for (const app of entry.apps) {
    const file = path.join(outDir, app.file);
    if (!fs.lstatSync(file, { throwIfNoEntry: false })?.isFile()) return undefined;
    const content = fs.readFileSync(file, 'utf8');
    if (contentHash(content) !== app.hash) return undefined;
    contents.push(content);
  }
  return contents;
}

/** The memo of this build, or none: a memo that cannot be read only costs speed. */
function readMemo(file: string, build: string): Memo | undefined {
  try {
    const memo = JSON.parse(fs.readFileSync(file, 'utf8')) as Memo;
    return memo.build === build && memo.files !== null && typeof memo.files === 'object' ? memo : undefined;
  } catch {
    return undefined;
  }
}

function writeMemo(file: string, memo: Memo): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(tmp, JSON.stringify(memo), { flag: 'wx' });
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}
