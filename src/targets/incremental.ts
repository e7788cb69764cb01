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
import { claimObjects, objectKeys, synthLibrary, synthModel } from '../constructs/synth';
import { SpecIssue, SpecValidationError } from '../document/errors';
import { duplicateNames, LoadedApp, LoadIssue, LoadResult, loadText, readSpecFile, referenceIssues, specFiles } from '../load/load';
import { toYamlDocuments } from '../util/yaml-emitter';
import { contentHash } from './output';
import type { AnalysisLibraryDocument } from '../document/types';
import { yamlFileName } from './yaml';

export interface MemoOptions {
  /** Identity of the running canarykit (the sha256 of its bundle); no memo without it. */
  readonly build?: string;
  /** Read and write the memo (`--no-cache` turns it off). */
  readonly useMemo: boolean;
  /** Where the memo lives; default `$XDG_CACHE_HOME/canarykit` or `~/.cache/canarykit`. */
  readonly cacheDir?: string;
}

export interface SynthPlan {
  /** Load problems of every file, warnings included, in the order a full run reports them. */
  readonly issues: readonly LoadIssue[];
  readonly apps: number;
  /** Apps whose output is reused as it is. */
  readonly reused: number;
  /** Each app's file, synthesized or reused, in order; throws a SpecValidationError on colliding objects at the end. */
  files(): Generator<[string, string], void>;
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

type Input =
  | { readonly key: string; readonly memo: MemoEntry; readonly contents: readonly string[] }
  | { readonly key: string; readonly source: string; readonly result: LoadResult };

export function planSynth(inputs: readonly string[], outDir: string, options: MemoOptions): SynthPlan {
  const memoFile = options.build === undefined || !options.useMemo ? undefined : path.join(options.cacheDir ?? defaultCacheDir(), `synth-${contentHash(path.resolve(outDir))}.json`);
  const memo = memoFile ? readMemo(memoFile, options.build!) : undefined;
  const { files, issues: fileIssues } = specFiles(inputs);
  const parse = (source: string, key: string, text: string): Input => ({ key, source, result: loadText(text, source) });
  const first = files.map((source): Input | { key: string; entry: MemoEntry; contents: string[]; text: string } => {
    const { text = '', issue } = readSpecFile(source);
    if (issue) return { key: contentHash(`${source}\0unreadable`), source, result: { apps: [], libraries: [], issues: [issue] } };
    const key = contentHash(`${source}\0${text}`);
    const entry = memo?.files[key];
    const contents = entry && intactOutput(outDir, entry);
    return entry && contents ? { key, entry, contents, text } : parse(source, key, text);
  });
  // Every library of the run, from the files read and the memo of those that may be reused (same content, same libraries).
  const libraries = first.flatMap((input) => ('entry' in input ? input.entry.libraries : 'result' in input ? input.result.libraries.map((l) => l.document) : []));
  const digest = contentHash(JSON.stringify(libraries));
  // A file checked against other libraries is read again: its references are checked against these.
  const loaded: Input[] = first.map((input) => {
    if (!('entry' in input)) return input;
    return input.entry.checkedAgainst === digest ? { key: input.key, memo: input.entry, contents: input.contents } : parse(input.entry.source, input.key, input.text);
  });
  const names: { name: string; source: string }[] = [];
  const issues: LoadIssue[] = [...fileIssues];
  const parsedApps: LoadedApp[] = [];
  for (const input of loaded) {
    if ('memo' in input) {
      issues.push(...input.memo.warnings);
      for (const app of input.memo.apps) names.push({ name: app.name, source: input.memo.source });
    } else {
      issues.push(...input.result.issues);
      for (const unit of [...input.result.libraries, ...input.result.apps]) names.push({ name: unit.document.metadata.name, source: input.source });
      parsedApps.push(...input.result.apps);
    }
  }
  issues.push(...duplicateNames(names));
  issues.push(...referenceIssues(parsedApps, libraries.map((document) => ({ document }))));

  const produced = new Map<string, MemoEntry>();
  return {
    issues,
    apps: names.length,
    reused: loaded.reduce((n, input) => n + ('memo' in input ? input.memo.apps.length : 0), 0),
    *files() {
      const owners = new Map<string, string>();
      const collisions: SpecIssue[] = [];
      for (const input of loaded) {
        if ('memo' in input) {
          for (const [i, app] of input.memo.apps.entries()) {
            collisions.push(...claimObjects(app.name, app.keys, owners));
            yield [app.file, input.contents[i]];
          }
          produced.set(input.key, input.memo);
          continue;
        }
        const apps: MemoApp[] = [];
        const units = [
          ...input.result.libraries.map((l) => ({ name: l.model.name, objects: () => synthLibrary(l.model) })),
          ...input.result.apps.map((a) => ({ name: a.model.name, objects: () => synthModel(a.model) })),
        ];
        for (const unit of units) {
          const objects = unit.objects();
          const keys = objectKeys(objects);
          collisions.push(...claimObjects(unit.name, keys, owners));
          const file = yamlFileName(unit.name);
          const content = toYamlDocuments(objects);
          apps.push({ name: unit.name, keys, file, hash: contentHash(content) });
          yield [file, content];
        }
        produced.set(input.key, {
          source: input.source, apps, warnings: input.result.issues.filter((i) => i.severity === 'warning'),
          libraries: input.result.libraries.map((l) => l.document), checkedAgainst: digest,
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
