/**
 * Safe output: everything is written to a temporary directory inside the target first and renamed into
 * place, so a failure leaves the previous output intact. A manifest lists the files canarykit wrote;
 * only those are ever replaced or deleted.
 *
 * Files are written by a worker thread while the caller produces the next one: on this project's 2-core
 * VM, creating a thousand small files costs 0.3-1 s of blocking system calls, as much as synthesizing
 * them. The caller stays synchronous: it waits on a shared counter before anything is moved into place.
 */
import * as fs from 'fs';
import * as path from 'path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'worker_threads';

export const MANIFEST = '.canarykit-manifest.json';

/** Where each command writes by default; the Argo CD target also assumes the first two as repository paths. */
export const DEFAULT_OUT_DIRS = { synth: 'dist', chart: 'charts', argocd: 'argocd', controllerSetup: 'controller' } as const;

export interface WriteResult {
  readonly written: readonly string[];
  readonly removed: readonly string[];
}

export class OutputConflictError extends Error {}

/**
 * Writes `files` (relative path, content) under `outDir`, replacing only files canarykit owns. `files`
 * may be lazy: each file is handed to the writer as it is produced, and if producing them throws, the
 * error propagates and `outDir` is left as it was.
 */
export function writeOutput(outDir: string, files: Iterable<readonly [string, string]>, options: { force?: boolean } = {}): WriteResult {
  const created = fs.mkdirSync(outDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(outDir, '.canarykit-tmp-'));
  const writer = new FileWriter(tmp);
  let result: WriteResult | undefined;
  try {
    const relPaths: string[] = [];
    try {
      for (const [rel, content] of files) {
        relPaths.push(rel);
        writer.write(rel, content);
      }
    } catch (e) {
      // No write may still be running when the directory goes.
      writer.abandon();
      throw e;
    }
    writer.finish();
    result = moveIntoPlace(outDir, tmp, relPaths.sort(), options.force ?? false);
    return result;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    // A failed run leaves nothing behind, not even the directories it made for its output.
    if (result === undefined && created !== undefined) removeEmptyParents(path.dirname(created), path.relative(path.dirname(created), path.resolve(outDir)));
  }
}

function moveIntoPlace(outDir: string, tmp: string, relPaths: string[], force: boolean): WriteResult {
  const owned = readManifest(outDir);
  const unique = new Set(relPaths);
  if (unique.size !== relPaths.length) throw new Error(`duplicate output paths: ${relPaths.filter((rel, i) => relPaths.indexOf(rel) !== i).join(', ')}`);
  const conflicts = relPaths.filter((rel) => !owned.has(rel) && fs.existsSync(path.join(outDir, rel)));
  if (conflicts.length > 0 && !force) {
    throw new OutputConflictError(conflicts.map((rel) =>
      `${path.join(outDir, rel)}: exists and was not written by canarykit (not in ${MANIFEST}); move it away or pass --force`).join('\n'));
  }
  for (const dir of new Set(relPaths.map((rel) => path.dirname(rel)))) {
    if (dir !== '.') fs.mkdirSync(path.join(outDir, dir), { recursive: true });
  }
  for (const rel of relPaths) fs.renameSync(path.join(tmp, rel), path.join(outDir, rel));
  const removed = [...owned].filter((rel) => !unique.has(rel)).sort();
  for (const rel of removed) {
    fs.rmSync(path.join(outDir, rel), { force: true });
    removeEmptyParents(outDir, path.dirname(rel));
  }
  const manifestTmp = path.join(tmp, MANIFEST);
  fs.writeFileSync(manifestTmp, JSON.stringify({ files: relPaths }, null, 2) + '\n');
  fs.renameSync(manifestTmp, path.join(outDir, MANIFEST));
  return { written: relPaths, removed };
}

/**
 * Writes one file, creating its directory; returns what went wrong instead of throwing. The writer thread
 * runs this same function: its source is embedded in the thread's, so it uses nothing but its arguments.
 */
function writeFile(fsApi: typeof fs, pathApi: typeof path, file: string, content: string): string | undefined {
  try {
    fsApi.mkdirSync(pathApi.dirname(file), { recursive: true });
    fsApi.writeFileSync(file, content);
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
      if (failure) throw new Error(`cannot write ${failure}`);
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
      if (Atomics.wait(this.progress, 0, seen, STALL_MS) === 'timed-out') throw new Error(`writing ${this.dir}: the writer thread stopped after ${seen} of ${this.sent} files`);
    }
  }

  private stop(): void {
    void this.worker?.terminate();
    this.failures?.close();
    this.worker = undefined;
  }
}

function readManifest(outDir: string): Set<string> {
  const file = path.join(outDir, MANIFEST);
  if (!fs.existsSync(file)) return new Set();
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { files?: unknown };
  const list = Array.isArray(parsed.files) ? parsed.files : [];
  // A manifest is trusted only for plain relative paths inside the output directory.
  return new Set(list.filter((f): f is string => typeof f === 'string' && !path.isAbsolute(f) && !f.split(/[\\/]/).includes('..')));
}

function removeEmptyParents(root: string, rel: string): void {
  for (let dir = rel; dir !== '.' && dir !== ''; dir = path.dirname(dir)) {
    const full = path.join(root, dir);
    if (!fs.existsSync(full) || fs.readdirSync(full).length > 0) return;
    fs.rmdirSync(full);
  }
}
