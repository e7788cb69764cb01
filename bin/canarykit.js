#!/usr/bin/env node
'use strict';
/**
 * Runs the CLI bundle (lib/cli.js, written by `npm run build`) through V8's code cache. Without both, a
 * one-app `canarykit synth` spent most of its time resolving, reading and compiling ~280 module files.
 *
 * V8 only checks a cache against the source's length, so the cache file is named after the Node version
 * and the sha256 of the bundle's content (size and mtime are not enough: an edited bundle of the same
 * size would run the old code). Hashing the bundle costs ~3 ms. A successful run that found no usable cache writes one (atomically)
 * when it is done, so it holds every function that run compiled. The cache lives beside the bundle, never
 * in a shared directory where someone else could plant code; where that is read-only there is no cache,
 * which only costs speed.
 */
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const { createHash } = require('crypto');
const { createRequire } = require('module');
const { isMainThread } = require('worker_threads');

const bundle = path.join(__dirname, '..', 'lib', 'cli.js');

function loadCli() {
  let source;
  try {
    source = fs.readFileSync(bundle, 'utf8');
  } catch {
    process.stderr.write(`canarykit: ${bundle} is missing; run \`npm run build\`\n`);
    process.exit(70);
  }
  const build = createHash('sha256').update(source).digest('hex');
  const cacheFile = path.join(path.dirname(bundle), 'cli-cache', `${process.version}-${process.arch}-${build}.v8`);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // No cache yet: this run writes it.
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapper, { filename: bundle, cachedData });
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, createRequire(bundle), mod, bundle, path.dirname(bundle));
  const stale = cachedData === undefined || script.cachedDataRejected;
  return { cli: mod.exports, build, saveCache: () => stale && saveAtomically(cacheFile, () => script.createCachedData()) };
}

function saveAtomically(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.accessSync(path.dirname(file), fs.constants.W_OK);
    fs.writeFileSync(tmp, data());
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}

// A reader that stops early (`canarykit schema | head`) is not a failure.
process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});

const { cli, build, saveCache } = loadCli();
if (isMainThread) {
  process.exitCode = cli.run(process.argv.slice(2), { build, workerEntry: __filename });
  // A failed run (a spec error, --help) compiled too little to be worth caching.
  if (process.exitCode === 0) saveCache();
} else {
  // A synthesis thread of a large fleet (src/targets/parallel.ts), started by the run above.
  cli.synthWorker();
}
