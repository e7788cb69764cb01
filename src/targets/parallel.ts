/**
 * Synthesis of a large fleet on every core. Worker threads only compute: each loads, checks and
 * synthesizes a contiguous run of spec files and sends back, in order, what the run on one thread would
 * have produced (every file's issues and app names first, then each app's file name, content, object
 * identities and sha256). The calling thread merges them in file order, so issues, cross-app checks
 * (duplicate names, colliding objects) and output are those of a single-threaded run, and the writer in
 * output.ts stays the one commit point.
 *
 * Threads, not processes: measured on the 2-core VM (docs/performance.md), a worker thread starts in
 * the same time as a child process, and hands its results over without a pipe or serialisation of our
 * own. The caller stays synchronous, as FileWriter in output.ts does: it waits on a shared counter.
 */
import * as os from 'os';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker, workerData } from 'worker_threads';
import { objectKeys, synthModel } from '../constructs/synth';
import { SpecIssue, SpecValidationError } from '../document/errors';
import { LoadIssue, loadText } from '../load/load';
import type { ResolvedApp } from '../model/model';
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

/** A spec file loaded: its issues and the names of its apps; its apps' output, produced on demand. */
export interface LoadedFile {
  readonly issues: readonly LoadIssue[];
  readonly names: readonly string[];
  outputs(): Iterable<AppOutput>;
}

export function synthApp(model: ResolvedApp): AppOutput {
  const objects = synthModel(model);
  const content = toYamlDocuments(objects);
  return { name: model.name, keys: objectKeys(objects), file: yamlFileName(model.name), content, hash: contentHash(content) };
}

/** Loads one file on this thread; each app is synthesized when `outputs` reaches it. */
export function loadHere({ source, text }: SpecText): LoadedFile {
  const { apps, issues } = loadText(text, source);
  const models = apps.map((a) => a.model);
  return {
    issues,
    names: models.map((m) => m.name),
    *outputs() {
      for (const model of models) yield synthApp(model);
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
    const here = shares[0].map(loadHere);
    // Until every worker has loaded its share (it started later), this thread synthesizes its own apps
    // ahead instead of waiting; what it makes is kept until the writer takes it.
    let ready = false;
    const ahead = here.map((file): LoadedFile => {
      ready ||= workers.every((w) => w.hasLoaded());
      if (ready) return file;
      const outputs = [...file.outputs()];
      return { ...file, outputs: () => outputs };
    });
    return [...ahead, ...workers.flatMap((w) => w.loaded())];
  } catch (e) {
    for (const w of workers) w.stop();
    throw e;
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
  | { readonly kind: 'loaded'; readonly files: readonly { readonly issues: readonly LoadIssue[]; readonly names: readonly string[] }[] }
  | { readonly kind: 'app'; readonly app: AppOutput }
  | { readonly kind: 'failed'; readonly message: string; readonly issues?: readonly SpecIssue[] };

interface WorkerTask {
  readonly files: readonly SpecText[];
  readonly progress: SharedArrayBuffer;
  readonly port: MessagePort;
}

/** If a worker sends nothing for this long (one app takes milliseconds), it is taken to be gone. */
const STALL_MS = 60_000;

/** The calling thread's end of one worker: messages read in the order they were sent. */
class SynthWorker {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly progress = new Int32Array(new SharedArrayBuffer(4));
  private received = 0;
  private first?: WorkerMessage;

  constructor(entry: string, private readonly files: readonly SpecText[]) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const task: WorkerTask = { files, progress: this.progress.buffer, port: port2 };
    this.worker = new Worker(entry, { workerData: task, transferList: [port2] });
    // The thread alone must not keep the process alive: every result is waited for where it is needed.
    this.worker.unref();
  }

  /** Whether the worker's first message (its files loaded) is here, without waiting. */
  hasLoaded(): boolean {
    if (this.first === undefined && Atomics.load(this.progress, 0) > this.received) this.first = this.next();
    return this.first !== undefined;
  }

  loaded(): LoadedFile[] {
    const message = this.first ?? this.next();
    if (message.kind !== 'loaded') throw this.unexpected(message);
    const apps = message.files.map((f) => f.names.length);
    let pending = 0;
    return message.files.map((f, i) => ({
      issues: f.issues,
      names: f.names,
      // Apps arrive in file order, and files are read in order: file i's apps are the next ones.
      outputs: () => {
        if (pending !== i) throw new Error(`synthesis thread: file ${i} read out of order`);
        pending++;
        return this.apps(apps[i], i === apps.length - 1);
      },
    }));
  }

  stop(): void {
    void this.worker.terminate();
    this.port.close();
  }

  private *apps(count: number, last: boolean): Generator<AppOutput, void> {
    try {
      for (let i = 0; i < count; i++) {
        const message = this.next();
        if (message.kind !== 'app') throw this.unexpected(message);
        yield message.app;
      }
    } finally {
      if (last) this.stop();
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

  private unexpected(message: WorkerMessage): Error {
    this.stop();
    if (message.kind !== 'failed') return new Error(`synthesis thread: unexpected ${message.kind} message`);
    // What the thread threw is rethrown here, as a run on one thread would have thrown it.
    return message.issues ? new SpecValidationError(message.issues) : new Error(message.message);
  }
}

/** The worker thread's side (see `loadParallel`): load every file, report, then synthesize each app. */
export function synthWorker(): void {
  const { files, progress, port } = workerData as WorkerTask;
  const counter = new Int32Array(progress);
  const send = (message: WorkerMessage) => {
    port.postMessage(message);
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
  };
  try {
    const loaded = files.map(loadHere);
    send({ kind: 'loaded', files: loaded.map((f) => ({ issues: f.issues, names: f.names })) });
    // A run with an error writes nothing: the caller stops at the issues.
    if (loaded.some((f) => f.issues.some((i) => i.severity === 'error'))) return;
    for (const file of loaded) for (const app of file.outputs()) send({ kind: 'app', app });
  } catch (e) {
    send({ kind: 'failed', message: (e as Error).message ?? String(e), issues: e instanceof SpecValidationError ? e.issues : undefined });
  }
}
