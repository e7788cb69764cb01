/**
 * Safe output. `dist/` and `charts/` are committed, so everything in an output directory (symlinks, the
 * manifest, leftovers of a killed run) may have been put there by someone else. What this module
 * guarantees, each proven in test/targets/output.test.ts and promised in the README:
 *
 * - It never follows a symlink when writing or removing: not the output directory itself (nor any
 *   directory of a relative path to it), not a directory inside it, not a file.
 * - It removes or replaces only regular files whose content is what canarykit wrote: the manifest
 *   (`.canarykit-manifest.json`) records the sha256 of each file, and a file whose content differs (or
 *   which the manifest does not list) is left alone (a conflict for a file to be written, unless --force).
 * - One run at a time per output directory (`.canarykit-lock`, taken over when its process is gone).
 * - All or nothing, also when killed: new files are written into a temporary directory inside the
 *   output directory; a journal of the renames and removals, renamed into place, is the commit point.
 *   The next run first rolls a committed journal forward and removes any uncommitted temporary
 *   directory, so it starts from either the old or the new output, never a mix.
 * - Every failure is an `OutputError` naming the path (the CLI's exit 1); nothing is moved into place
 *   before every file is written and every check has passed.
 *
 * Files are written by a worker thread while the caller produces the next one: on this project's 2-core
 * VM, creating a thousand small files costs 0.3-1 s of blocking system calls, as much as synthesizing
 * them. The caller stays synchronous: it waits on a shared counter before anything is moved into place.
 * A file whose content is already in place is not written again.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'worker_threads';
import { unifiedDiff } from '../util/unified-diff';

export const MANIFEST = '.canarykit-manifest.json';
export const LOCK = '.canarykit-lock';
const TMP_PREFIX = '.canarykit-tmp-';
/** Inside a temporary directory: the new files, the new manifest and, once committed, the journal. */
const TMP_FILES = 'files';
const TMP_MANIFEST = 'manifest.json';
const JOURNAL = 'journal.json';
const MANIFEST_VERSION = 2;
/** Larger than any manifest canarykit writes by orders of magnitude; a bigger one is not read. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** Where each command writes by default; the Argo CD target also assumes the first two as repository paths. */
export const DEFAULT_OUT_DIRS = { synth: 'dist', chart: 'charts', argocd: 'argocd', controllerSetup: 'controller' } as const;

export interface WriteResult {
  /** Every file of the output, sorted. */
  readonly written: readonly string[];
  /** Stale files of an earlier run that were removed. */
  readonly removed: readonly string[];
  /** Stale files that were left in place, each with the reason. */
  readonly warnings: readonly string[];
}

/** A failure of the output directory, not of the specs: a message naming the path, for the user. */
export class OutputError extends Error {}

/**
 * A file to write: its path relative to the output directory, its content and, when the producer has
 * already computed it, the content's sha256 (`contentHash`), which is then not computed again.
 */
export type OutputFile = readonly [rel: string, content: string, hash?: string];
export class OutputConflictError extends OutputError {}

/** sha256 of a file's content, as the manifest records it. */
export function contentHash(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * Writes `files` (relative path, content) under `outDir`, replacing only files canarykit owns. `files`
 * may be lazy: each file is handed to the writer as it is produced, and if producing them throws, the
 * error propagates and `outDir` is left as it was.
 */
export function writeOutput(outDir: string, files: Iterable<OutputFile>, options: { force?: boolean } = {}): WriteResult {
  let created: string | undefined;
  let result: WriteResult | undefined;
  try {
    return fsErrors(outDir, () => {
      created = openOutDir(outDir);
      const lock = acquireLock(outDir);
      try {
        recover(outDir);
        result = write(outDir, files, options.force ?? false);
        return result;
      } finally {
        fs.rmSync(lock, { force: true });
      }
    });
  } finally {
    // A failed run leaves nothing behind, not even the directories it made for its output.
    if (result === undefined && created !== undefined) removeEmptyParents(path.dirname(created), path.relative(path.dirname(created), path.resolve(outDir)));
  }
}

/** What the next run does first: completes or removes what a killed run left in `outDir` (see `writeOutput`). */
export function recoverOutput(outDir: string): void {
  fsErrors(outDir, () => {
    if (!lstat(outDir)) return;
    checkOutDirPath(outDir);
    const lock = acquireLock(outDir);
    try {
      recover(outDir);
    } finally {
      fs.rmSync(lock, { force: true });
    }
  });
}

/**
 * What writing `files` into `outDir` would change, as a unified diff (`a/` the directory now, `b/` after
 * the run); empty when it is up to date. Writes nothing and takes no lock.
 */
export function diffOutput(outDir: string, files: Iterable<OutputFile>, options: { force?: boolean } = {}): string {
  return fsErrors(outDir, () => diff(outDir, files, options.force ?? false));
}

function diff(outDir: string, files: Iterable<OutputFile>, force: boolean): string {
  checkOutDirPath(outDir);
  const previous = lstat(outDir) ? readManifest(outDir, force) : new Map<string, string | null>();
  const inspector = new Inspector(outDir);
  const hashes = new Map<string, string>();
  const diffs: [string, string][] = [];
  for (const [rel, content, hash] of files) {
    checkRelPath(rel, hashes);
    hashes.set(rel, hash ?? contentHash(content));
    const existing = inspector.inspect(rel);
    const before = existing.kind === 'file' ? existing.content : undefined;
    if (before !== content) diffs.push([rel, unifiedDiff(before, content, rel)]);
  }
  for (const [rel, hash] of previous) {
    if (hashes.has(rel)) continue;
    const existing = inspector.inspect(rel);
    if (existing.kind === 'file' && hash !== null && contentHash(existing.content) === hash) diffs.push([rel, unifiedDiff(existing.content, undefined, rel)]);
  }
  const manifest = manifestText(hashes);
  const current = inspector.inspect(MANIFEST);
  const before = current.kind === 'file' ? current.content : undefined;
  if (before !== manifest) diffs.push([MANIFEST, unifiedDiff(before, manifest, MANIFEST)]);
  return diffs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d).join('');
}

function write(outDir: string, files: Iterable<OutputFile>, force: boolean): WriteResult {
  const previous = readManifest(outDir, force);
  const tmp = fs.mkdtempSync(path.join(outDir, TMP_PREFIX));
  let committed = false;
  try {
    const inspector = new Inspector(outDir);
    const writer = new FileWriter(path.join(tmp, TMP_FILES));
    const hashes = new Map<string, string>();
    const moves: Move[] = [];
    const conflicts: string[] = [];
    try {
      for (const [rel, content, known] of files) {
        checkRelPath(rel, hashes);
        const hash = known ?? contentHash(content);
        hashes.set(rel, hash);
        const existing = inspector.inspect(rel);
        if (existing.kind === 'file' && existing.content === content) continue;
        const problem = replaceProblem(outDir, rel, existing, previous.get(rel), force);
        if (problem === 'conflict') conflicts.push(rel);
        else if (problem) throw new OutputError(problem);
        moves.push({ rel, before: existing.kind === 'file' ? contentHash(existing.content) : existing.kind === 'none' ? null : LINK });
        writer.write(rel, content);
      }
    } catch (e) {
      // No write may still be running when the directory goes.
      writer.abandon();
      throw e;
    }
    writer.finish();
    if (conflicts.length > 0) {
      throw new OutputConflictError(conflicts.sort().map((rel) =>
        `${path.join(outDir, rel)}: exists and was not written by canarykit (not in ${MANIFEST}, or changed since); move it away or pass --force`).join('\n'));
    }
    const removals: Removal[] = [];
    const warnings: string[] = [];
    for (const [rel, hash] of previous) {
      if (hashes.has(rel)) continue;
      const why = removalProblem(inspector.inspect(rel), hash);
      if (why) warnings.push(`${path.join(outDir, rel)}: ${why}; left in place`);
      else removals.push({ rel, hash: hash! });
    }
    fs.writeFileSync(path.join(tmp, TMP_MANIFEST), manifestText(hashes));
    // The commit point: from here on, a run that is killed is completed by the next one.
    const journal: Journal = { moves: moves.sort((a, b) => (a.rel < b.rel ? -1 : 1)), removals };
    fs.writeFileSync(path.join(tmp, `${JOURNAL}.new`), JSON.stringify(journal));
    fs.renameSync(path.join(tmp, `${JOURNAL}.new`), path.join(tmp, JOURNAL));
    committed = true;
    applyJournal(outDir, tmp, journal);
    return { written: [...hashes.keys()].sort(), removed: removals.map((r) => r.rel).sort(), warnings };
  } finally {
    // Uncommitted: nothing was moved, the directory goes. Committed but failed half-way: the journal
    // stays, and the next run completes it.
    if (!committed) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

interface Removal { readonly rel: string; readonly hash: string }
/**
 * A file to move into place, with what its destination held when the run checked it: a sha256, null for
 * nothing, or LINK for a symlink (replaced under --force). A run that completes a journal moves a file
 * only onto that same content, so a journal planted in a committed directory cannot overwrite a file
 * whose content its author does not know.
 */
interface Move { readonly rel: string; readonly before: string | null }
interface Journal { readonly moves: readonly Move[]; readonly removals: readonly Removal[] }
const LINK = 'symlink';

/**
 * Moves the new files into place, removes the stale ones, then puts the new manifest in place and drops
 * the temporary directory. Every step may already have happened (a run killed half-way), so each is
 * skipped when there is nothing to do; removals check the content again.
 */
function applyJournal(outDir: string, tmp: string, journal: Journal): void {
  const inspector = new Inspector(outDir);
  // The temporary directory may be a committed one: its files are taken only from real directories.
  const sources = lstat(path.join(tmp, TMP_FILES))?.isDirectory() ? new Inspector(path.join(tmp, TMP_FILES)) : undefined;
  for (const { rel, before } of journal.moves) {
    if (!sources?.isFile(rel) || !holds(inspector.inspect(rel), before)) continue;
    makeParents(outDir, rel);
    fs.renameSync(path.join(tmp, TMP_FILES, rel), path.join(outDir, rel));
  }
  for (const { rel, hash } of journal.removals) {
    if (removalProblem(inspector.inspect(rel), hash) !== undefined) continue;
    fs.unlinkSync(path.join(outDir, rel));
    removeEmptyParents(outDir, path.dirname(rel));
  }
  const manifest = path.join(tmp, TMP_MANIFEST);
  if (isRegularFile(manifest)) fs.renameSync(manifest, path.join(outDir, MANIFEST));
  fs.rmSync(tmp, { recursive: true, force: true });
}

/** Whether a destination still holds what the journal recorded for it. */
function holds(existing: Existing, before: string | null): boolean {
  switch (existing.kind) {
    case 'none': return before === null;
    case 'file': return before === contentHash(existing.content);
    case 'other': return existing.what === 'a symlink' && before === LINK;
    case 'blocked': return false;
  }
}

/**
 * What a run killed before this one left: a committed journal is completed, anything else of it removed.
 * Runs under the lock, so no other run is using these directories.
 */
function recover(outDir: string): void {
  for (const entry of fs.readdirSync(outDir, { withFileTypes: true })) {
    if (!entry.name.startsWith(TMP_PREFIX)) continue;
    const tmp = path.join(outDir, entry.name);
    // A symlink or file under the name of a temporary directory is unlinked, never followed.
    if (!entry.isDirectory()) {
      fs.unlinkSync(tmp);
      continue;
    }
    const journal = readJournal(path.join(tmp, JOURNAL));
    if (journal) applyJournal(outDir, tmp, journal);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** A journal in the form `write` writes it, with every path checked as a manifest's are; else none. */
function readJournal(file: string): Journal | undefined {
  if (!isRegularFile(file)) return undefined;
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { moves?: unknown; removals?: unknown } | null;
    const moves: unknown = parsed?.moves;
    const removals: unknown = parsed?.removals;
    if (!Array.isArray(moves) || !Array.isArray(removals)) return undefined;
    const isPath = (rel: unknown): rel is string => typeof rel === 'string' && safeRelPath(rel);
    const isMove = (m: unknown): m is Move => {
      const { rel, before } = (m ?? {}) as { rel?: unknown; before?: unknown };
      return isPath(rel) && (before === null || before === LINK || (typeof before === 'string' && HASH.test(before)));
    };
    const isRemoval = (r: unknown): r is Removal => {
      const { rel, hash } = (r ?? {}) as { rel?: unknown; hash?: unknown };
      return isPath(rel) && typeof hash === 'string' && HASH.test(hash);
    };
    if (!moves.every(isMove) || !removals.every(isRemoval)) return undefined;
    return { moves, removals };
  } catch {
    return undefined;
  }
}

type Existing =
  | { readonly kind: 'none' }
  | { readonly kind: 'file'; readonly content: string }
  | { readonly kind: 'other'; readonly what: string }
  /** A directory on the way is a symlink or not a directory: nothing there may be touched. */
  | { readonly kind: 'blocked'; readonly why: string };

/** Looks at paths inside the output directory without following a symlink, directory by directory. */
class Inspector {
  private readonly dirs = new Map<string, string | undefined>();

  constructor(private readonly outDir: string) {}

  /** Whether `rel` is a regular file reached through real directories (without reading it). */
  isFile(rel: string): boolean {
    return this.dirProblem(path.dirname(rel)) === undefined && isRegularFile(path.join(this.outDir, rel));
  }

  inspect(rel: string): Existing {
    const blocked = this.dirProblem(path.dirname(rel));
    if (blocked) return { kind: 'blocked', why: blocked };
    const stat = lstat(path.join(this.outDir, rel));
    if (!stat) return { kind: 'none' };
    if (stat.isSymbolicLink()) return { kind: 'other', what: 'a symlink' };
    if (!stat.isFile()) return { kind: 'other', what: stat.isDirectory() ? 'a directory' : 'not a regular file' };
    return { kind: 'file', content: fs.readFileSync(path.join(this.outDir, rel), 'utf8') };
  }

  /** Why `dir` (relative) cannot hold canarykit's files, or undefined when it can (or does not exist yet). */
  private dirProblem(dir: string): string | undefined {
    if (dir === '.' || dir === '') return undefined;
    if (this.dirs.has(dir)) return this.dirs.get(dir);
    let problem = this.dirProblem(path.dirname(dir));
    if (!problem) {
      const full = path.join(this.outDir, dir);
      const stat = lstat(full);
      if (stat?.isSymbolicLink()) problem = `${full} is a symlink; canarykit never writes or removes through one`;
      else if (stat && !stat.isDirectory()) problem = `${full} is not a directory`;
    }
    this.dirs.set(dir, problem);
    return problem;
  }
}

/** Why the file at `rel` may not be replaced: an error message, 'conflict' (allowed by --force) or nothing. */
function replaceProblem(outDir: string, rel: string, existing: Existing, recorded: string | null | undefined, force: boolean): string | undefined {
  switch (existing.kind) {
    case 'none': return undefined;
    case 'blocked': return existing.why;
    // Renaming over a symlink replaces the link, never its target; still, canarykit did not write it.
    case 'other': return existing.what === 'a symlink' ? (force ? undefined : 'conflict') : `${path.join(outDir, rel)}: is ${existing.what}; canarykit writes a file there`;
    case 'file': {
      // A manifest written before hashes were recorded (null) owns its files by name alone.
      const owned = recorded === null || (recorded !== undefined && contentHash(existing.content) === recorded);
      return owned || force ? undefined : 'conflict';
    }
  }
}

/** Why a stale file may not be removed, or undefined when it is a regular file with the recorded content. */
function removalProblem(existing: Existing, recorded: string | null): string | undefined {
  switch (existing.kind) {
    case 'none': return 'already gone';
    case 'blocked': return existing.why;
    case 'other': return `is ${existing.what}, which canarykit never wrote`;
    case 'file':
      if (recorded === null) return 'recorded without a content hash by an older canarykit, so it is not known to be unchanged';
      return contentHash(existing.content) === recorded ? undefined : 'changed since canarykit wrote it';
  }
}

const HASH = /^[0-9a-f]{64}$/;
const RESERVED = [MANIFEST, LOCK];

/** A plain relative path inside the output directory, of a file canarykit may write. */
function safeRelPath(rel: string): boolean {
  if (rel === '' || rel.length > 4096 || rel.includes('\0') || rel.includes('\\') || path.posix.isAbsolute(rel) || path.isAbsolute(rel)) return false;
  const parts = rel.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return false;
  return !RESERVED.includes(rel) && !parts[0].startsWith(TMP_PREFIX);
}

function checkRelPath(rel: string, seen: ReadonlyMap<string, unknown>): void {
  if (!safeRelPath(rel)) throw new OutputError(`${JSON.stringify(rel)}: not a plain relative path canarykit may write`);
  if (seen.has(rel)) throw new OutputError(`duplicate output path: ${rel}`);
}

/** The manifest: each file's sha256, keys sorted, so the same output gives the same bytes. */
function manifestText(hashes: ReadonlyMap<string, string>): string {
  const files = Object.fromEntries([...hashes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ version: MANIFEST_VERSION, files }, null, 2)}\n`;
}

/**
 * The manifest's files and their hashes (null: listed by an older canarykit without one). A manifest
 * that is not one canarykit wrote is an error, since nothing in it can be trusted; with --force it is
 * ignored (and replaced).
 */
function readManifest(outDir: string, force: boolean): Map<string, string | null> {
  const file = path.join(outDir, MANIFEST);
  const stat = lstat(file);
  if (!stat) return new Map();
  const malformed = (why: string): Map<string, string | null> => {
    if (force) return new Map();
    throw new OutputError(`${file}: not a manifest canarykit wrote (${why}); restore it from version control, or move it away and run again with --force`);
  };
  if (!stat.isFile()) return malformed(stat.isSymbolicLink() ? 'a symlink' : 'not a regular file');
  if (stat.size > MAX_MANIFEST_BYTES) return malformed(`larger than ${MAX_MANIFEST_BYTES} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return malformed(`not JSON: ${(e as Error).message}`);
  }
  const files = parsed !== null && typeof parsed === 'object' ? (parsed as { files?: unknown }).files : undefined;
  const entries: [unknown, unknown][] | undefined = Array.isArray(files) ? files.map((f: unknown) => [f, null])
    : files !== null && typeof files === 'object' ? Object.entries(files) : undefined;
  if (!entries) return malformed('no "files"');
  const result = new Map<string, string | null>();
  for (const [rel, hash] of entries) {
    if (typeof rel !== 'string' || !safeRelPath(rel)) return malformed(`${JSON.stringify(rel) ?? String(rel)} is not a plain relative path inside the directory`);
    if (hash !== null && (typeof hash !== 'string' || !HASH.test(hash))) return malformed(`the hash of ${rel} is not a sha256`);
    if (Array.isArray(files) !== (hash === null)) return malformed(`${rel} has no hash`);
    result.set(rel, hash);
  }
  return result;
}

/**
 * Makes the output directory. It must not be a symlink, and neither may any directory of a relative path
 * to it (a committed `deploy -> /etc` would otherwise receive `--out deploy/dist`). Returns the first
 * directory it created, as `fs.mkdirSync` does.
 */
function openOutDir(outDir: string): string | undefined {
  checkOutDirPath(outDir);
  const created = fs.mkdirSync(outDir, { recursive: true });
  checkOutDirPath(outDir);
  return created;
}

function checkOutDirPath(outDir: string): void {
  const parts = path.normalize(outDir).split(path.sep).filter((p) => p !== '' && p !== '.');
  const first = path.isAbsolute(outDir) ? parts.length - 1 : 0;
  for (let i = Math.max(first, 0); i < parts.length; i++) {
    const dir = path.join(path.isAbsolute(outDir) ? path.sep : '', ...parts.slice(0, i + 1));
    if (parts[i] === '..') continue;
    const stat = lstat(dir);
    if (stat?.isSymbolicLink()) throw new OutputError(`${dir} is a symlink; canarykit never writes through one (give the real directory)`);
    if (stat && !stat.isDirectory()) throw new OutputError(`${dir} is not a directory`);
  }
}

/**
 * Takes the directory's lock: a file created exclusively (which never follows a symlink), holding the
 * owner's host and pid. A lock whose process is gone (a killed run) is taken over.
 */
function acquireLock(outDir: string): string {
  const file = path.join(outDir, LOCK);
  const me = `${JSON.stringify({ host: os.hostname(), pid: process.pid })}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o644);
      try {
        fs.writeSync(fd, me);
      } finally {
        fs.closeSync(fd);
      }
      return file;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
    }
    const owner = lockOwner(file);
    if (owner) throw new OutputError(`${outDir}: another canarykit run (${owner}) is writing here; wait for it, or remove ${file} if no run is`);
    fs.rmSync(file, { force: true });
  }
}

/** Who holds the lock, while they still run; undefined when the lock is stale. */
function lockOwner(file: string): string | undefined {
  let owner: { host?: unknown; pid?: unknown };
  try {
    owner = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof owner;
  } catch {
    // Unreadable or half-written by a killed run: nobody can be waiting on it.
    return undefined;
  }
  if (typeof owner?.pid !== 'number' || !Number.isSafeInteger(owner.pid) || owner.pid <= 0) return undefined;
  // This process runs one output at a time, so its own lock is left from a run that failed to remove it.
  if (owner.host === os.hostname() && owner.pid === process.pid) return undefined;
  const who = `pid ${owner.pid} on ${String(owner.host)}`;
  // A process on another host cannot be checked from here.
  if (owner.host !== os.hostname()) return who;
  try {
    process.kill(owner.pid, 0);
    return who;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? who : undefined;
  }
}

/** Creates the directories of `rel` inside `outDir`, refusing any that is a symlink. */
function makeParents(outDir: string, rel: string): void {
  const parts = rel.split('/').slice(0, -1);
  for (let i = 0; i < parts.length; i++) {
    const dir = path.join(outDir, ...parts.slice(0, i + 1));
    const stat = lstat(dir);
    if (!stat) fs.mkdirSync(dir);
    else if (!stat.isDirectory()) throw new OutputError(`${dir} is ${stat.isSymbolicLink() ? 'a symlink; canarykit never writes through one' : 'not a directory'}`);
  }
}

function removeEmptyParents(root: string, rel: string): void {
  for (let dir = rel; dir !== '.' && dir !== ''; dir = path.dirname(dir)) {
    const full = path.join(root, dir);
    const stat = lstat(full);
    if (!stat?.isDirectory() || fs.readdirSync(full).length > 0) return;
    fs.rmdirSync(full);
  }
}

function lstat(file: string): fs.Stats | undefined {
  return fs.lstatSync(file, { throwIfNoEntry: false });
}

function isRegularFile(file: string): boolean {
  return lstat(file)?.isFile() ?? false;
}

/** Runs the output's steps; a system error becomes an OutputError naming the directory. */
function fsErrors<T>(outDir: string, steps: () => T): T {
  try {
    return steps();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (!(e instanceof OutputError) && typeof err.code === 'string' && typeof err.syscall === 'string') throw new OutputError(`cannot write ${outDir}: ${err.message}`);
    throw e;
  }
}

/**
 * Writes one file, creating its directory; returns what went wrong instead of throwing. The writer thread
 * runs this same function: its source is embedded in the thread's, so it uses nothing but its arguments.
 */
function writeFile(fsApi: typeof fs, pathApi: typeof path, file: string, content: string): string | undefined {
  try {
    fsApi.mkdirSync(pathApi.dirname(file), { recursive: true });
    fsApi.writeFileSync(file, content, { flag: 'wx' });
    return undefined;
  } catch (e) {
    return `${file}: ${(e as Error).message}`;
  }
}

/** The writer thread: writes each batch it is sent, counts it in shared memory, reports failures. */
const WRITER_SOURCE = `
const fs = require('fs');
const path = require('path');
const { parentPort, workerData } = require('worker_threads');
const progress = new Int32Array(workerData.progress);
const writeFile = ${writeFile.toString()};
parentPort.on('message', (batch) => {
  for (const [file, content] of batch) {
    const failure = writeFile(fs, path, file, content);
    if (failure) workerData.failures.postMessage(failure);
  }
  Atomics.add(progress, 0, batch.length);
  Atomics.notify(progress, 0);
});
`;

const BATCH_CHARS = 256 * 1024;

/** If the writer thread makes no progress for this long, it is taken to be gone. */
const STALL_MS = 60_000;

/**
 * Hands files to a writer thread in batches (a message per file cost more than its write). The thread
 * starts with the first full batch, so an output smaller than one batch is written here, without it.
 */
class FileWriter {
  private worker?: Worker;
  private failures?: MessagePort;
  private readonly progress = new Int32Array(new SharedArrayBuffer(4));
  private sent = 0;
  private batch: [string, string][] = [];
  private batchChars = 0;

  constructor(private readonly dir: string) {}

  write(rel: string, content: string): void {
    this.batch.push([path.join(this.dir, rel), content]);
    this.batchChars += content.length;
    if (this.batchChars >= BATCH_CHARS) this.post(this.take());
  }

  /** Writes what is left, waits for the thread, and throws the first write that failed. */
  finish(): void {
    try {
      let failure: string | undefined;
      for (const [file, content] of this.take()) failure ??= writeFile(fs, path, file, content);
      this.wait();
      failure ??= this.failures && receiveMessageOnPort(this.failures)?.message;
      if (failure) throw new OutputError(`cannot write ${failure}`);
    } finally {
      this.stop();
    }
  }

  /** After a failure: drops what was not sent and waits for what was, so no write outlives the call. */
  abandon(): void {
    this.take();
    try {
      this.wait();
    } finally {
      this.stop();
    }
  }

  private take(): [string, string][] {
    const batch = this.batch;
    this.batch = [];
    this.batchChars = 0;
    return batch;
  }

  private post(batch: [string, string][]): void {
    if (!this.worker) {
      const { port1, port2 } = new MessageChannel();
      this.failures = port1;
      this.worker = new Worker(WRITER_SOURCE, { eval: true, workerData: { progress: this.progress.buffer, failures: port2 }, transferList: [port2] });
      // The thread alone must not keep the process alive; finish() and abandon() wait for every write.
      this.worker.unref();
    }
    this.worker.postMessage(batch);
    this.sent += batch.length;
  }

  private wait(): void {
    for (let seen = Atomics.load(this.progress, 0); seen < this.sent; seen = Atomics.load(this.progress, 0)) {
      if (Atomics.wait(this.progress, 0, seen, STALL_MS) === 'timed-out') throw new OutputError(`writing ${this.dir}: the writer thread stopped after ${seen} of ${this.sent} files`);
    }
  }

  private stop(): void {
    void this.worker?.terminate();
    this.failures?.close();
    this.worker = undefined;
  }
}
