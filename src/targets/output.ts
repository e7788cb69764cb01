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
    for (const [rel, content] of files) {
      relPaths.push(rel);
      writer.write(rel, content);
    }
    writer.finish();
    result = moveIntoPlace(outDir, tmp, relPaths.sort(), options.force ?? false);
    return result;
  } finally {
    // Also after a failure: no write may still be running when the directory goes.
    writer.finish(false);
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

/** The writer thread: writes each file it is sent, counts it in shared memory, reports failures. */
const WRITER_SOURCE = `
const fs = require('fs');
const path = require('path');
const { parentPort, workerData } = require('worker_threads');
const progress = new Int32Array(workerData.progress);
parentPort.on('message', (batch) => {
  for (const [file, content] of batch) {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    } catch (e) {
      workerData.failures.postMessage(file + ': ' + e.message);
    }
  }
  Atomics.add(progress, 0, batch.length);
  Atomics.notify(progress, 0);
});
`;

const BATCH_CHARS = 256 * 1024;

/** If the writer thread makes no progress for this long, it is taken to be gone. */
const STALL_MS = 60_000;

class FileWriter {
  private readonly worker: Worker;
  private readonly progress = new Int32Array(new SharedArrayBuffer(4));
  private readonly failures: MessagePort;
  private sent = 0;
  private batch: [string, string][] = [];
  private batchChars = 0;
  private closed = false;

  constructor(private readonly dir: string) {
    const { port1, port2 } = new MessageChannel();
    this.failures = port1;
    this.worker = new Worker(WRITER_SOURCE, { eval: true, workerData: { progress: this.progress.buffer, failures: port2 }, transferList: [port2] });
    // The thread alone must not keep the process alive; finish() has waited for every write anyway.
    this.worker.unref();
  }

  write(rel: string, content: string): void {
    this.batch.push([path.join(this.dir, rel), content]);
    this.batchChars += content.length;
    if (this.batchChars >= BATCH_CHARS) this.flush();
  }

  /** Files go to the thread in batches: a message per file cost more than the write it carried. */
  private flush(): void {
    if (this.batch.length === 0) return;
    this.worker.postMessage(this.batch);
    this.sent += this.batch.length;
    this.batch = [];
    this.batchChars = 0;
  }

  /** Waits for every file sent so far, stops the thread and, if `check`, throws the first failed write. */
  finish(check = true): void {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    for (let seen = Atomics.load(this.progress, 0); seen < this.sent; seen = Atomics.load(this.progress, 0)) {
      if (Atomics.wait(this.progress, 0, seen, STALL_MS) === 'timed-out') throw new Error(`writing ${this.dir}: the writer thread stopped after ${seen} of ${this.sent} files`);
    }
    void this.worker.terminate();
    const failure = receiveMessageOnPort(this.failures);
    this.failures.close();
    if (check && failure) throw new Error(`cannot write ${failure.message}`);
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
