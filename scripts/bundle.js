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

/**
 * The generated CRD bindings (imports/, and cdk8s-plus-27's k8s.js) end every props-to-JSON converter
 * with `Object.entries(result).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {})`,
 * which copies the object once per field it keeps: quadratic, and a sixth of synthesizing a fleet
 * (docs/performance.md). The bundle gets the linear form with the same result (the same keys in the same
 * order, undefined values dropped, each key defined as the spread defines it); the sources stay as generated.
 */
const QUADRATIC_DROP = 'Object.entries(result).reduce((r, i) => i[1] === void 0 ? r : { ...r, [i[0]]: i[1] }, {})';
const LINEAR_DROP = 'Object.fromEntries(Object.entries(result).filter((i) => i[1] !== void 0))';

const [bundled] = esbuild.buildSync({
  entryPoints: [path.join(ROOT, 'src', 'cli', 'main.ts')],
  outfile: path.join(LIB, 'cli.js'),
  write: false,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Names stay as written, so `CANARYKIT_DEBUG=1` stack traces read like the sources.
  minify: false,
  legalComments: 'none',
  logLevel: 'warning',
}).outputFiles;
const converters = bundled.text.split(QUADRATIC_DROP);
// A regenerated binding that no longer matches would silently bring the quadratic form back.
if (converters.length < 2) {
  throw new Error('scripts/bundle.js: the generated converters no longer end as QUADRATIC_DROP expects; update it');
}
fs.mkdirSync(LIB, { recursive: true });
fs.writeFileSync(path.join(LIB, 'cli.js'), converters.join(LINEAR_DROP));

fs.rmSync(path.join(LIB, 'cli-cache'), { recursive: true, force: true });
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'canarykit-prime-'));
try {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'canarykit.js'), 'synth', path.join(ROOT, 'examples'), '--out', out, '--no-cache'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`priming the code cache failed:\n${run.stderr}`);
} finally {
  fs.rmSync(out, { recursive: true, force: true });
}
