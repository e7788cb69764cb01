#!/usr/bin/env node
'use strict';
/**
 * Runs the CLI bundle (lib/cli.js, written by `npm run build`) through V8's code cache. Without both, a
 * one-app `canarykit synth` spent most of its time resolving, reading and compiling ~280 module files.
 *
 * V8 only checks a cache against the source's length, so the cache file is named after the Node version
 * and the bundle's size and mtime. A run that found no usable cache writes one (atomically) when it is
 * done, so it holds every function that run compiled; a cache that cannot be read or written only costs
 * speed, never correctness.
 */
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const { createRequire } = require('module');

const bundle = path.join(__dirname, '..', 'lib', 'cli.js');

function loadCli() {
  let source, stat;
  try {
    source = fs.readFileSync(bundle, 'utf8');
    stat = fs.statSync(bundle);
  } catch {
    process.stderr.write(`canarykit: ${bundle} is missing; run \`npm run build\`\n`);
    process.exit(70);
  }
  const cacheFile = path.join(path.dirname(bundle), 'cli-cache', `${process.version}-${process.arch}-${stat.size}-${Math.trunc(stat.mtimeMs)}.v8`);
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
  return { cli: mod.exports, saveCache: () => stale && writeAtomically(cacheFile, script.createCachedData()) };
}

function writeAtomically(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}

const { cli, saveCache } = loadCli();
process.exitCode = cli.run(process.argv.slice(2));
saveCache();
