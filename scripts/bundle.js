#!/usr/bin/env node
'use strict';
/**
 * Second step of `npm run build` (and of `npm test`): bundles the CLI, src/cli/main.ts with everything
 * it imports, into lib/cli.js, which bin/canarykit.js runs through V8's code cache; then primes that cache
 * (lib/cli-cache/) by synthesizing the examples once, so the first run in this checkout is already fast.
 * An installed package gets its cache from its own first successful run. The library entry points
 * (lib/src, canarykit/pulumi) stay unbundled.
 */
const esbuild = require('esbuild');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.join(__dirname, '..');
const LIB = path.join(ROOT, 'lib');

esbuild.buildSync({
  entryPoints: [path.join(ROOT, 'src', 'cli', 'main.ts')],
  outfile: path.join(LIB, 'cli.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Names stay as written, so `CANARYKIT_DEBUG=1` stack traces read like the sources.
  minify: false,
  legalComments: 'none',
  logLevel: 'warning',
});

fs.rmSync(path.join(LIB, 'cli-cache'), { recursive: true, force: true });
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'canarykit-prime-'));
try {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'canarykit.js'), 'synth', path.join(ROOT, 'examples'), '--out', out, '--no-cache'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`priming the code cache failed:\n${run.stderr}`);
} finally {
  fs.rmSync(out, { recursive: true, force: true });
}
