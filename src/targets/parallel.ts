/**
 * Synthesis of a large fleet on every core. Worker threads only compute: each loads, checks and
 * synthesizes a contiguous run of spec files and sends back, in order, what the run on one thread would
 * have produced (every file's issues, names, AnalysisLibrary documents and the app documents the
 * cross-file reference check reads first, then each app's file name, content, object identities and
 * sha256). The calling thread merges them in file order, so issues, cross-file checks (duplicate names,
 * references to the libraries, colliding objects) and output are those of a single-threaded run, and the
 * writer in output.ts stays the one commit point. An app's synthesis does not depend on the libraries (a
 * reference spells its scope, `cluster: true`), so a file is synthesized before the libraries of the other
 * files are known; only the check needs them.
 *
 * Threads, not processes: measured on the 2-core VM (docs/performance.md), a worker thread starts in
 * the same time as a child process, and hands its results over without a pipe or serialisation of our
 * own. The caller stays synchronous, as FileWriter in output.ts does: it waits on a shared counter.
 */
import * as os from 'os';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker, workerData } from 'worker_threads';
import { KubeObject, objectKeys, synthLibrary, synthModel } from '../constructs/synth';
import { SpecIssue, SpecValidationError } from '../document/errors';
import type { AnalysisLibraryDocument, CanaryAppDocument } from '../document/types';
import { LoadIssue, loadText } from '../load/load';
import { toYamlDocuments } from '../util/yaml-emitter';
import { contentHash } from './output';
import { yamlFileName } from './yaml';

/** What one app produced: its output file, and what the memo and the collision check need of it. */
export interface AppOutput {
  readonly name: string;
  /** Identities of its objects (`objectKeys`). */
  readonly keys: readonly string[];
  readonly file: string;
  readonly content: string;
  readonly hash: string;
}

/** One spec file as read. */
export interface SpecText { readonly source: string; readonly text: string }

/**
 * A spec file loaded: its issues, the names of its libraries and apps (in the order of their output),
 * what the run's cross-file reference check needs (its AnalysisLibrary documents and its valid apps'
 * documents, plain data), and its output, produced on demand.
 */
export interface LoadedFile {
  readonly issues: readonly LoadIssue[];
  readonly names: readonly string[];
  readonly libraries: readonly AnalysisLibraryDocument[];
  readonly apps: readonly CanaryAppDocument[];
  outputs(): Iterable<AppOutput>;
}

/** The output file of an app or library named `name` made of `objects`. */
function output(name: string, objects: readonly KubeObject[]): AppOutput {
  const content = toYamlDocuments(objects);
  return { name, keys: objectKeys(objects), file: yamlFileName(name), content, hash: contentHash(content) };
}

/** Loads one file on this thread; each library, then each app, is synthesized when `outputs` reaches it. */
export function loadHere({ source, text }: SpecText): LoadedFile {
  const { apps, libraries, issues } = loadText(text, source);
  return {
    issues,
    names: [...libraries, ...apps].map((unit) => unit.model.name),
    libraries: libraries.map((l) => l.document),
    apps: apps.map((a) => a.document),
    *outputs() {
      for (const { model } of libraries) yield output(model.name, synthLibrary(model));
      for (const { model } of apps) yield output(model.name, synthModel(model));
    },
  };
}

/**
 * Below this many apps (YAML documents) to synthesize, a run stays on one thread. A worker is a new V8
 * isolate: it loads the bundle, builds the schemas and warms up every code path again, 0.3-0.6 s of CPU
 * measured on the 2-core VM, and a run must be long enough for the second core to pay that back: at 200
 * apps two threads were slower than one there, at 400 faster (docs/performance.md).
 */
export const PARALLEL_MIN_APPS = 300;

/** How many threads synthesize `apps` apps: `jobs` when given, else every core for a fleet at or above the threshold. */
export function threadsFor(apps: number, jobs: number | undefined): number {
  if (jobs !== undefined) return Math.max(1, Math.min(jobs, apps));
  return apps >= PARALLEL_MIN_APPS ? Math.min(os.availableParallelism(), Math.ceil(apps / PARALLEL_MIN_APPS)) : 1;
}

/** Counts the YAML documents of a spec text: a cheap upper bound on its apps, for the choice of threads. */
export function documentCount(text: string): number {
  return (text.match(/^---/gm)?.length ?? 0) + 1;
}

/**
 * Loads `files` on `threads` threads: this one takes the first share, each worker (started from
 * `entry`, a script that calls `synthWorker` in a worker thread) a contiguous later share. Returns one
 * LoadedFile per file, in order; reading a worker's files waits for that worker.
 */
export function loadParallel(files: readonly SpecText[], threads: number, entry: string): LoadedFile[] {
  const shares = splitBySize(files, threads);
  // Workers start first, so they load while this thread loads its own share.
  const workers = shares.slice(1).map((share) => new SynthWorker(entry, share));
  try {
    // This thread's share as the workers do theirs (see `loadAndSynthesize`).
    const state = { synthesize: true };
    const here = shares[0].map((spec): LoadedFile => {
      for (const w of workers) w.drain();
      const { file, outputs, failure } = loadAndSynthesize(spec, state);
      if (outputs === undefined) return file;
      return { ...file, *outputs() { yield* outputs; if (failure !== undefined) throw failure; } };
    });
    return [...here, ...workers.flatMap((w) => w.loaded())];
  } catch (e) {
    for (const w of workers) w.stop();
    throw e;
  }
}

/**
 * Loads one file of a share and synthesizes its apps at once, so no model outlives its file (the peak
 * RSS at 5000 apps). Once a file of the share has an error nothing more is synthesized (the run writes
 * nothing: `outputs` is undefined), and after a synthesis failure only loading goes on (the run needs
 * every file's issues first, as one thread reports them before it synthesizes); the failure is thrown
 * after the apps before it, where one thread would have thrown it.
 */
function loadAndSynthesize(spec: SpecText, state: { synthesize: boolean }): { file: LoadedFile; outputs?: AppOutput[]; failure?: Error } {
  const file = loadHere(spec);
  state.synthesize &&= !file.issues.some((i) => i.severity === 'error');
  if (!state.synthesize) return { file };
  const outputs: AppOutput[] = [];
  try {
    for (const app of file.outputs()) outputs.push(app);
    return { file, outputs };
  } catch (failure) {
    state.synthesize = false;
    // What synthesis throws is an Error (a SpecValidationError or an internal error).
    return { file, outputs, failure: failure as Error };
  }
}

/**
 * Contiguous shares of about equal text. This thread's share is smaller: it also hashes, inspects and
 * hands every file to the writer, and commits.
 */
function splitBySize(files: readonly SpecText[], threads: number): SpecText[][] {
  const weights = files.map((f) => f.text.length);
  const total = weights.reduce((a, b) => a + b, 0);
  const own = 0.8;
  const unit = total / (threads - 1 + own);
  const shares: SpecText[][] = [[]];
  let bound = unit * own;
  let sum = 0;
  for (const [i, file] of files.entries()) {
    if (sum >= bound && shares.length < threads) {
      shares.push([]);
      bound += unit;
    }
    shares[shares.length - 1].push(file);
    sum += weights[i];
  }
  return shares;
}

type WorkerMessage =
  /** A file loaded; its libraries' and apps' outputs follow, unless it or an earlier file of the share has an error. */
  | { readonly kind: 'file'; readonly file: WorkerFile }
  | { readonly kind: 'app'; readonly app: AppOutput }
  /** What loading (then the run stops) or synthesizing (then the thread only loads on) threw. */
  | { readonly kind: 'failed'; readonly phase: 'load' | 'synth'; readonly message: string; readonly issues?: readonly SpecIssue[] }
  | { readonly kind: 'done' };

interface WorkerTask {
  readonly files: readonly SpecText[];
  readonly progress: SharedArrayBuffer;
  readonly port: MessagePort;
}

/** If a worker sends nothing for this long (one app takes milliseconds), it is taken to be gone. */
const STALL_MS = 60_000;

/** A file as a worker sends it: the LoadedFile without its output, which follows as 'app' messages. */
type WorkerFile = Omit<LoadedFile, 'outputs'>;

/**
 * The calling thread's end of one worker. Its files' outputs are kept until the writer takes them:
 * strings, a fraction of the memory of the models a share would otherwise keep until it was loaded.
 */
class SynthWorker {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly progress = new Int32Array(new SharedArrayBuffer(4));
  private received = 0;
  private readonly results: { readonly file: WorkerFile; outputs: AppOutput[]; failure?: Error }[] = [];
  private done = false;
  private loadFailure?: Error;

  constructor(entry: string, private readonly files: readonly SpecText[]) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const task: WorkerTask = { files, progress: this.progress.buffer, port: port2 };
    this.worker = new Worker(entry, { workerData: task, transferList: [port2] });
    // The thread alone must not keep the process alive: every result is waited for where it is needed.
    this.worker.unref();
  }

  /** Takes the messages that are here, without waiting, so they do not pile up in the port. */
  drain(): void {
    while (!this.finished() && Atomics.load(this.progress, 0) > this.received) this.take(this.next());
  }

  /** Every file of the share, once the worker is done; throws what loading threw, as one thread would have. */
  loaded(): LoadedFile[] {
    while (!this.finished()) this.take(this.next());
    this.stop();
    if (this.loadFailure) throw this.loadFailure;
    return this.results.map((result) => ({
      ...result.file,
      *outputs() {
        const outputs = result.outputs;
        result.outputs = [];
        yield* outputs;
        // Thrown after the apps before it, where the run on one thread would have thrown it.
        if (result.failure) throw result.failure;
      },
    }));
  }

  stop(): void {
    void this.worker.terminate();
    this.port.close();
  }

  private finished(): boolean {
    return this.done || this.loadFailure !== undefined;
  }

  private take(message: WorkerMessage): void {
    const last = this.results[this.results.length - 1];
    switch (message.kind) {
      case 'file':
        this.results.push({ file: message.file, outputs: [] });
        return;
      case 'app':
        last.outputs.push(message.app);
        return;
      case 'failed': {
        // What the thread threw is rethrown here, as a run on one thread would have thrown it.
        const error = message.issues ? new SpecValidationError(message.issues) : new Error(message.message);
        if (message.phase === 'load') this.loadFailure = error;
        else last.failure = error;
        return;
      }
      case 'done':
        this.done = true;
    }
  }

  private next(): WorkerMessage {
    for (;;) {
      const seen = Atomics.load(this.progress, 0);
      if (seen > this.received) {
        const message = receiveMessageOnPort(this.port)?.message as WorkerMessage | undefined;
        if (message) {
          this.received++;
          return message;
        }
      }
      if (Atomics.wait(this.progress, 0, seen, STALL_MS) === 'timed-out') {
        this.stop();
        throw new Error(`a synthesis thread stopped answering (${this.files.length} spec files from ${this.files[0]?.source})`);
      }
    }
  }
}

/** The worker thread's side (see `loadParallel`): `loadAndSynthesize` for each file of its share, sent in order. */
export function synthWorker(): void {
  const { files, progress, port } = workerData as WorkerTask;
  const counter = new Int32Array(progress);
  const send = (message: WorkerMessage) => {
    port.postMessage(message);
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
  };
  const failed = (phase: 'load' | 'synth', e: unknown) => send({ kind: 'failed', phase, message: (e as Error).message ?? String(e), issues: e instanceof SpecValidationError ? e.issues : undefined });
  const state = { synthesize: true };
  for (const spec of files) {
    let result: ReturnType<typeof loadAndSynthesize>;
    try {
      result = loadAndSynthesize(spec, state);
    } catch (e) {
      failed('load', e);
      return;
    }
    const { issues, names, libraries, apps } = result.file;
    send({ kind: 'file', file: { issues, names, libraries, apps } });
    for (const app of result.outputs ?? []) send({ kind: 'app', app });
    if (result.failure !== undefined) failed('synth', result.failure);
  }
  send({ kind: 'done' });
}
