#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: canarykit synth against its floor, the cdk8s floor (see floor.js), a plain
 * cdk8s-plus-27 baseline and looping `helm template`, for fleets of N apps. Prints median wall time and peak RSS and the ratios; writes
 * bench/results/latest.json. Not a test: timings depend on the machine.
 *
 * The fleet-workflow columns (issue 21), on a fleet of one app per file as platform teams keep them:
 * cold (`synth --no-cache` into an empty folder, threads as canarykit chooses them), cold on one thread
 * (`--jobs 1`), cold as two processes (two `--jobs 1` runs side by side on the two halves of the fleet:
 * the best a process-based split could do, without merging their output), incremental (one app's image
 * tag changed, synth into the same folder with the memo of the previous run), check (`synth --check` of
 * the unchanged fleet), the cores used (CPU time / wall time of the cold run) and cold / floor.
 *
 *   node bench/run.js [N...]        default N = 1 100 1000 5000
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { writeFleet } = require('./fleet');

const ROOT = path.join(__dirname, '..');
const HELM = path.join(ROOT, '.tools', 'bin', 'helm');
const sizes = process.argv.slice(2).map(Number).filter((x) => x > 0);
const SIZES = sizes.length > 0 ? sizes : [1, 100, 1000, 5000];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'canarykit-bench-'));
console.log(`load average at start: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (${os.cpus().length} cores)`);

/** Runs a command under /usr/bin/time; returns wall seconds, peak RSS in MB and CPU seconds (user + system). */
function measure(cmd, args, env = {}) {
  const out = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', cmd, ...args], { env: { ...process.env, XDG_CACHE_HOME: path.join(work, 'cache'), ...env }, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (out.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${out.stderr}`);
  return parseTime(out.stderr);
}

function parseTime(stderr) {
  const [wall, rssKb, user, sys] = stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wall, rssMb: rssKb / 1024, cpu: user + sys };
}

function median(runs, key) {
  const sorted = runs.map((r) => r[key]).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function repeat(times, fn) {
  const runs = [];
  for (let i = 0; i < times; i++) runs.push(fn(i));
  return { wall: median(runs, 'wall'), rssMb: median(runs, 'rssMb'), cpu: median(runs, 'cpu') };
}

const CLI = path.join(ROOT, 'bin/canarykit.js');

/** Cold, incremental (one app changed) and check runs of `synth` on a fleet of one app per file. */
function fleetWorkflow(n, times) {
  const specs = path.join(work, `workflow-${n}`);
  writeFleet(specs, n, 1);
  const cold = repeat(times, (i) => measure('node', [CLI, 'synth', specs, '--no-cache', '--out', path.join(work, `workflow-cold-${n}-${i}`)]));
  const coldOneThread = repeat(times, (i) => measure('node', [CLI, 'synth', specs, '--no-cache', '--jobs', '1', '--out', path.join(work, `workflow-serial-${n}-${i}`)]));
  // Two processes: the fleet's halves as two spec folders, two one-thread runs at once (RSS is the larger one's).
  const halves = [path.join(work, `workflow-${n}-a`), path.join(work, `workflow-${n}-b`)];
  const names = fs.readdirSync(specs).sort();
  halves.forEach((dir, h) => {
    fs.mkdirSync(dir, { recursive: true });
    for (const f of names.slice(h === 0 ? 0 : Math.ceil(names.length / 2), h === 0 ? Math.ceil(names.length / 2) : names.length)) fs.copyFileSync(path.join(specs, f), path.join(dir, f));
  });
  const both = halves.map((dir, h) => `node ${CLI} synth ${dir} --no-cache --jobs 1 --out ${path.join(work, `workflow-proc-${n}-${h}`)}-$I`).join(' & ');
  const coldProcesses = n < 2 ? undefined : repeat(times, (i) => measure('bash', ['-c', `I=${i}; ${both} & wait -n && wait -n`]));
  for (const dir of halves) fs.rmSync(dir, { recursive: true, force: true });
  const out = path.join(work, `workflow-out-${n}`);
  measure('node', [CLI, 'synth', specs, '--out', out]);
  const changed = path.join(specs, fs.readdirSync(specs).sort()[Math.floor(n / 2)]);
  const original = fs.readFileSync(changed, 'utf8');
  const incremental = repeat(times, (i) => {
    fs.writeFileSync(changed, original.replace(/tag: (\S+)/, `tag: 9.9.${i}`));
    return measure('node', [CLI, 'synth', specs, '--out', out]);
  });
  const check = repeat(times, () => measure('node', [CLI, 'synth', specs, '--check', '--out', out]));
  fs.rmSync(specs, { recursive: true, force: true });
  return { cold, coldOneThread, coldProcesses, incremental, check, coresUsed: cold.cpu / cold.wall };
}

// Objects of the five examples, the floor's templates (computed by the real pipeline once).
const { loadSpecs } = require(path.join(ROOT, 'lib/src/load/load'));
const { synthDocuments } = require(path.join(ROOT, 'lib/src/constructs/synth'));
const objectsFile = path.join(work, 'objects.json');
fs.writeFileSync(objectsFile, JSON.stringify(synthDocuments(loadSpecs([path.join(ROOT, 'examples')]).apps.map((a) => a.document))));

// helm template of every example chart, to get a per-release cost.
const charts = fs.existsSync(path.join(ROOT, 'charts')) ? fs.readdirSync(path.join(ROOT, 'charts')).filter((c) => fs.existsSync(path.join(ROOT, 'charts', c, 'Chart.yaml'))) : [];
let helmPerRelease;
if (fs.existsSync(HELM) && charts.length > 0) {
  const calls = [];
  for (let i = 0; i < 10; i++) {
    const chart = charts[i % charts.length];
    calls.push(measure(HELM, ['template', chart, path.join(ROOT, 'charts', chart)]));
  }
  helmPerRelease = median(calls, 'wall');
}

const results = [];
for (const n of SIZES) {
  const fleet = path.join(work, `fleet-${n}`);
  writeFleet(fleet, n);
  // The cdk8s-plus baseline needs minutes at 5000 apps; one run there keeps the bench bounded.
  const times = n >= 5000 ? 1 : n >= 1000 ? 3 : 5;
  const canarykit = repeat(times, (i) => measure('node', [CLI, 'synth', fleet, '--out', path.join(work, `out-${n}-${i}`)]));
  const floor = repeat(times, (i) => measure('node', [path.join(__dirname, 'floor.js'), objectsFile, String(n), path.join(work, `floor-${n}-${i}`)]));
  const cdk8sFloor = repeat(times, (i) => measure('node', [path.join(__dirname, 'floor.js'), objectsFile, String(n), path.join(work, `cdk8s-floor-${n}-${i}`), 'cdk8s']));
  // Above 1000 apps the cdk8s-plus baseline takes minutes (248 s at 5000 in the README's first table) and
  // says nothing new; BENCH_BASELINE=all runs it anyway.
  const baseline = n > 1000 && process.env.BENCH_BASELINE !== 'all' ? undefined : repeat(times, (i) => measure('node', [path.join(__dirname, 'cdk8s-plus-baseline.js'), String(n), path.join(work, `base-${n}-${i}`)]));
  const helm = helmPerRelease === undefined ? undefined : helmPerRelease * n;
  const workflow = fleetWorkflow(n, times);
  const row = {
    apps: n,
    canarykit: canarykit,
    workflow,
    floor: floor,
    cdk8sFloor: cdk8sFloor,
    cdk8sPlusBaseline: baseline,
    helmTemplateLoop: helm === undefined ? undefined : { wall: helm, estimatedFrom: `median of 10 helm template calls x ${n}` },
    ratios: {
      canarykitOverFloor: canarykit.wall / floor.wall,
      coldOverFloor: workflow.cold.wall / floor.wall,
      canarykitOverCdk8sFloor: canarykit.wall / cdk8sFloor.wall,
      baselineOverCanarykit: baseline === undefined ? undefined : baseline.wall / canarykit.wall,
      helmOverCanarykit: helm === undefined ? undefined : helm / canarykit.wall,
    },
  };
  results.push(row);
  const r = row.ratios;
  const w = workflow;
  const procs = w.coldProcesses === undefined ? 'n/a' : `${w.coldProcesses.wall.toFixed(2)}s (${w.coldProcesses.cpu.toFixed(2)}s CPU)`;
  console.log(`${String(n).padStart(5)} apps  one app per file: cold ${w.cold.wall.toFixed(2)}s (${w.cold.cpu.toFixed(2)}s CPU, ${w.coresUsed.toFixed(2)} cores) ${w.cold.rssMb.toFixed(0)}MB, cold/floor ${r.coldOverFloor.toFixed(2)}x | one thread ${w.coldOneThread.wall.toFixed(2)}s (${w.coldOneThread.cpu.toFixed(2)}s CPU) ${w.coldOneThread.rssMb.toFixed(0)}MB | two processes ${procs} | incremental (1 changed) ${w.incremental.wall.toFixed(2)}s (${w.incremental.cpu.toFixed(2)}s CPU) | check ${w.check.wall.toFixed(2)}s (${w.check.cpu.toFixed(2)}s CPU)`);
  console.log(`${String(n).padStart(5)} apps  canarykit ${canarykit.wall.toFixed(2)}s ${canarykit.rssMb.toFixed(0)}MB | floor ${floor.wall.toFixed(2)}s | cdk8s floor ${cdk8sFloor.wall.toFixed(2)}s | cdk8s-plus ${baseline === undefined ? 'n/a' : `${baseline.wall.toFixed(2)}s`} | helm loop ${helm === undefined ? 'n/a' : `${helm.toFixed(1)}s`} || canarykit/floor ${r.canarykitOverFloor.toFixed(2)}x, canarykit/cdk8s floor ${r.canarykitOverCdk8sFloor.toFixed(2)}x, baseline/canarykit ${r.baselineOverCanarykit === undefined ? 'n/a' : `${r.baselineOverCanarykit.toFixed(2)}x`}, helm/canarykit ${r.helmOverCanarykit === undefined ? 'n/a' : `${r.helmOverCanarykit.toFixed(1)}x`}`);
  fs.rmSync(fleet, { recursive: true, force: true });
}
fs.rmSync(work, { recursive: true, force: true });
const file = path.join(__dirname, 'results', 'latest.json');
fs.writeFileSync(file, `${JSON.stringify({ machine: { cpus: os.cpus().length, node: process.version, loadAverageAtEnd: os.loadavg() }, results }, null, 2)}\n`);
console.log(`results: ${path.relative(ROOT, file)}`);
