import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { MANIFEST } from '../../src/targets/output';
import { EXAMPLES_DIR, exampleFiles, ROOT, standaloneExampleFiles } from '../support/examples';
import { readTree } from '../support/files';
import { runCli as cli } from '../support/cli';
import { specYaml } from '../support/specs';
import { tmp } from '../support/tmp';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- bench/fleet.js is plain CommonJS, without types
const { writeFleet } = require('../../bench/fleet') as { writeFleet: (dir: string, n: number, perFile?: number) => void };

const examples = standaloneExampleFiles();

describe('canarykit synth', () => {
  test('writes one <app>.k8s.yaml per app, byte-identical to the committed dist/', () => {
    const out = tmp();
    expect(cli('synth', EXAMPLES_DIR, '--out', out).code).toBe(0);
    const written = readTree(out);
    const committed = readTree(path.join(ROOT, 'dist'));
    expect(written).toEqual(committed);
  });

  test('output does not depend on input order, time zone or locale', () => {
    const a = tmp();
    const b = tmp();
    cli('synth', ...examples, '--out', a);
    const tz = process.env.TZ;
    process.env.TZ = 'Pacific/Chatham';
    try {
      cli('synth', ...[...examples].reverse(), '--out', b);
    } finally {
      process.env.TZ = tz;
    }
    expect(readTree(b)).toEqual(readTree(a));
  });

  test('two apps that would write the same object: exit 1, both named, nothing written', () => {
    const dir = tmp();
    const out = path.join(dir, 'out');
    const app = (name: string) => specYaml(undefined, { name });
    fs.writeFileSync(path.join(dir, 'apps.yaml'), `${app('web')}---\n${app('web-canary')}---\n${app('web-stable')}`);
    const { code, stderr } = cli('synth', path.join(dir, 'apps.yaml'), '--out', out);
    expect(code).toBe(1);
    expect(stderr).toBe([
      'web-canary: metadata.name: Service shop/web-canary is also an object of app web; object names must be unique per kind and namespace',
      'web-stable: metadata.name: Service shop/web-stable is also an object of app web; object names must be unique per kind and namespace',
      '2 error(s); nothing was written',
      '',
    ].join('\n'));
    expect(fs.existsSync(out)).toBe(false);
  });

  test("the README's Errors example: shape errors first, then the rules across fields", () => {
    const dir = tmp();
    const spec = (weight: number, extra: string) => specYaml(`${extra}  canary:
    analysis: {templates: [check], startingStep: second}
    steps:
      - {name: first, setWeight: 25}
      - pause: {duration: 1m}
      - setWeight: ${weight}
  analysisTemplates:
    - name: check
      metrics:
        - name: m
          successCondition: result == "ok"
          provider: {web: {url: "http://x/health"}}
`);
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(file, spec(150, '  replica: 3\n'));
    expect(cli('synth', file, '--out', path.join(dir, 'out')).stderr).toBe([
      `${file}: web: spec.canary.steps[2].setWeight: 150 is not in 0..100`,
      `${file}: web: spec.replica: unknown field`,
      '2 error(s); nothing was written',
      '',
    ].join('\n'));
    fs.writeFileSync(file, spec(50, '  replicas: 3\n'));
    expect(cli('synth', file, '--out', path.join(dir, 'out')).stderr).toBe([
      `${file}: web: spec.canary.analysis.startingStep: "second" is not the name of a step (named steps: first)`,
      '1 error(s); nothing was written',
      '',
    ].join('\n'));
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  test('an invalid spec: exit 1, every error as <file>: <path>: <problem>, no stack, nothing written', () => {
    const dir = tmp();
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'keep.txt'), 'mine');
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, fs.readFileSync(examples[0], 'utf8').replace(/replicas: .*/, 'replicas: three').replace(/setWeight: 10\b/, 'setWeight: 150'));
    const result = cli('synth', bad, examples[1], '--out', out);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines.slice(0, -1).every((l) => l.startsWith(`${bad}: `))).toBe(true);
    expect(result.stderr).toContain('spec.replicas: "three" is not a number');
    expect(result.stderr).toContain('spec.canary.steps[0].setWeight: 150 is not in 0..100');
    expect(lines[lines.length - 1]).toBe('2 error(s); nothing was written');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readdirSync(out)).toEqual(['keep.txt']);
  });

  test('never overwrites or deletes files it does not own; removes its own stale files', () => {
    const out = tmp();
    const first = snapshotName(examples[0]);
    fs.writeFileSync(path.join(out, first), 'hand-written');
    expect(cli('synth', examples[0], '--out', out).code).toBe(1);
    expect(fs.readFileSync(path.join(out, first), 'utf8')).toBe('hand-written');
    fs.rmSync(path.join(out, first));

    fs.writeFileSync(path.join(out, 'notes.md'), 'mine');
    expect(cli('synth', EXAMPLES_DIR, '--out', out).code).toBe(0);
    const all = fs.readdirSync(out).filter((f) => f.endsWith('.k8s.yaml'));
    // One file per app and per AnalysisLibrary of the examples.
    expect(all.length).toBe(exampleFiles().length);
    // Synthesizing fewer apps removes the files of the others, which canarykit wrote, and nothing else.
    expect(cli('synth', examples[0], '--out', out).code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual([MANIFEST, first, 'notes.md'].sort());
  });

  test('validate checks without writing; unknown command and missing file are errors', () => {
    expect(cli('validate', EXAMPLES_DIR).code).toBe(0);
    expect(cli('validate', '/nonexistent/spec.yaml')).toMatchObject({ code: 1, stderr: expect.stringContaining('/nonexistent/spec.yaml: no such file or directory\n') });
    expect(cli('frobnicate').code).toBe(2);
  });
});

describe('the installed command, bin/canarykit.js', () => {
  // It runs lib/cli.js, the esbuild bundle that `npm test` and `npm run build` write, through V8's code
  // cache in lib/cli-cache/. A copy of both in a scratch directory keeps the repository's cache untouched.
  function install(): { bin: string; cacheDir: string } {
    const home = tmp();
    fs.mkdirSync(path.join(home, 'bin'));
    fs.mkdirSync(path.join(home, 'lib'));
    fs.copyFileSync(path.join(ROOT, 'bin', 'canarykit.js'), path.join(home, 'bin', 'canarykit.js'));
    if (fs.existsSync(path.join(ROOT, 'lib', 'cli.js'))) fs.copyFileSync(path.join(ROOT, 'lib', 'cli.js'), path.join(home, 'lib', 'cli.js'));
    return { bin: path.join(home, 'bin', 'canarykit.js'), cacheDir: path.join(home, 'lib', 'cli-cache') };
  }

  function synthWith(bin: string): Record<string, string> {
    const out = tmp();
    const result = spawnSync(process.execPath, [bin, 'synth', EXAMPLES_DIR, '--out', out], { encoding: 'utf8' });
    expect(result.stderr).toMatch(/^wrote \d+ file\(s\)/);
    expect(result.status).toBe(0);
    return readTree(out);
  }

  test('writes the committed dist/ with no code cache, with the cache it wrote, and with a corrupt cache; a failed run writes none', () => {
    const { bin, cacheDir } = install();
    expect(spawnSync(process.execPath, [bin, 'validate', path.join(tmp(), 'missing.yaml')]).status).toBe(1);
    expect(fs.existsSync(cacheDir)).toBe(false);
    const committed = readTree(path.join(ROOT, 'dist'));
    expect(synthWith(bin)).toEqual(committed);
    const caches = fs.readdirSync(cacheDir);
    expect(caches).toEqual([expect.stringMatching(new RegExp(`^${process.version}-${process.arch}-[0-9a-f]{64}\\.v8$`))]);
    const cache = path.join(cacheDir, caches[0]);
    const written = fs.readFileSync(cache);
    expect(synthWith(bin)).toEqual(committed);
    expect(fs.readFileSync(cache).equals(written)).toBe(true);
    fs.writeFileSync(cache, 'not a code cache');
    expect(synthWith(bin)).toEqual(committed);
    // Rejected, so that run wrote a real cache again.
    expect(fs.statSync(cache).size).toBeGreaterThan(written.length / 2);
  });

  test('the code cache is keyed by the bundle\'s content: an edited bundle of the same size and mtime runs the new code', () => {
    const { bin } = install();
    const bundle = path.join(path.dirname(bin), '..', 'lib', 'cli.js');
    const synthInto = () => {
      const out = tmp();
      expect(spawnSync(process.execPath, [bin, 'synth', EXAMPLES_DIR, '--out', out, '--no-cache']).status).toBe(0);
      return fs.readdirSync(out).filter((f) => f.startsWith('.'));
    };
    // Twice: the first run writes the cache, the second runs from it.
    expect(synthInto()).toEqual([MANIFEST]);
    expect(synthInto()).toEqual([MANIFEST]);
    const { size, atime, mtime } = fs.statSync(bundle);
    const edited = fs.readFileSync(bundle, 'utf8').replace(`"${MANIFEST}"`, `"${MANIFEST.replace('t.json', 'T.json')}"`);
    fs.writeFileSync(bundle, edited);
    fs.utimesSync(bundle, atime, mtime);
    expect(fs.statSync(bundle).size).toBe(size);
    expect(synthInto()).toEqual(['.canarykit-manifesT.json']);
  });

  test('a fleet large enough for the writer thread: the same files as the in-process CLI', () => {
    const { bin } = install();
    const fleet = tmp();
    writeFleet(fleet, 60);
    const [bundled, inProcess] = [tmp(), tmp()];
    expect(spawnSync(process.execPath, [bin, 'synth', fleet, '--out', bundled], { encoding: 'utf8' }).status).toBe(0);
    expect(cli('synth', fleet, '--out', inProcess).code).toBe(0);
    expect(Object.keys(readTree(bundled))).toHaveLength(61);
    expect(readTree(bundled)).toEqual(readTree(inProcess));
  });

  describe('synth on several threads (--jobs; workers run bin/canarykit.js, so only the installed command has them)', () => {
    const THREADS = 'loading and synthesizing on 2 threads\n';
    function synthJobs(bin: string, jobs: string | undefined, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
      const { status, stdout, stderr } = spawnSync(process.execPath, [bin, 'synth', ...args, ...(jobs ? ['--jobs', jobs] : [])], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: tmp() } });
      return { status, stdout, stderr };
    }

    test('the output is byte-identical to one thread\'s, for 2 and 3 threads, one app per file or several; --check sees the same diff', () => {
      const { bin } = install();
      for (const perFile of [1, 4]) {
        const fleet = tmp();
        writeFleet(fleet, 45, perFile);
        const outs = ['1', '2', '3'].map((jobs) => {
          const out = tmp();
          const run = synthJobs(bin, jobs, fleet, '--out', out);
          expect(run).toMatchObject({ status: 0, stderr: `${jobs === '1' ? '' : `loading and synthesizing on ${jobs} threads\n`}wrote 45 file(s) to ${out}\n` });
          return readTree(out);
        });
        expect(Object.keys(outs[0])).toHaveLength(46);
        expect(outs[1]).toEqual(outs[0]);
        expect(outs[2]).toEqual(outs[0]);
        // The same fleet changed, checked against the first output: one diff, whatever the threads.
        const first = fs.readdirSync(fleet).sort()[0];
        fs.writeFileSync(path.join(fleet, first), fs.readFileSync(path.join(fleet, first), 'utf8').replace(/tag: (\S+)/, 'tag: 9.9.9'));
        const out = tmp();
        expect(synthJobs(bin, '1', fleet, '--out', out).status).toBe(0);
        fs.writeFileSync(path.join(fleet, first), fs.readFileSync(path.join(fleet, first), 'utf8').replace('tag: 9.9.9', 'tag: 9.9.8'));
        const [serial, parallel] = ['1', '2'].map((jobs) => synthJobs(bin, jobs, fleet, '--check', '--out', out));
        expect(serial.stdout).toContain('-        image: kostiscodefresh/argo-rollouts-canary-sample-app:9.9.9\n');
        expect(serial.stdout).toContain('+        image: kostiscodefresh/argo-rollouts-canary-sample-app:9.9.8\n');
        expect(parallel).toEqual({ ...serial, stderr: `${THREADS}${serial.stderr}` });
      }
    });

    test('errors are the same, in the same order, and nothing is written: spec errors, a duplicate name and colliding objects across the threads\' shares', () => {
      const { bin } = install();
      const fleet = tmp();
      writeFleet(fleet, 30, 1);
      const files = fs.readdirSync(fleet).sort();
      // The first thread's share (a bad weight) and the worker's (broken YAML, an app repeating a name of the first share).
      fs.writeFileSync(path.join(fleet, files[2]), `${fs.readFileSync(path.join(fleet, files[2]), 'utf8')}---\n${specYaml('  canary: {weights: [150]}\n', { name: 'bad-weight' })}`);
      fs.writeFileSync(path.join(fleet, files[24]), 'apiVersion: [unclosed\n');
      const firstName = /name: (\S+)/.exec(fs.readFileSync(path.join(fleet, files[0]), 'utf8'))![1];
      fs.writeFileSync(path.join(fleet, files[27]), specYaml(undefined, { name: firstName, namespace: 'elsewhere' }));
      const out = path.join(tmp(), 'out');
      const serial = synthJobs(bin, '1', fleet, '--out', out);
      expect(serial.status).toBe(1);
      expect(serial.stderr).toMatch(/weights\[0\]: 150 is not in 1\.\.100[^]*unexpected end of the stream[^]*duplicate app name[^]*3 error\(s\); nothing was written\n$/);
      expect(synthJobs(bin, '2', fleet, '--out', out)).toEqual({ ...serial, stderr: `${THREADS}${serial.stderr}` });
      expect(fs.existsSync(out)).toBe(false);

      // Only the collision check over every app's objects, which runs as the output is produced.
      const clean = tmp();
      writeFleet(clean, 30, 1);
      const web = (name: string) => specYaml(undefined, { name });
      fs.writeFileSync(path.join(clean, '00-web.yaml'), web('web'));
      fs.writeFileSync(path.join(clean, 'zz-web-canary.yaml'), web('web-canary'));
      const collision = synthJobs(bin, '1', clean, '--out', out);
      expect(collision).toMatchObject({ status: 1, stderr: expect.stringContaining('web-canary: metadata.name: Service shop/web-canary is also an object of app web') });
      expect(synthJobs(bin, '2', clean, '--out', out)).toEqual({ ...collision, stderr: `${THREADS}${collision.stderr}` });
      expect(fs.existsSync(out)).toBe(false);
    });

    test('AnalysisLibrary references across the threads\' shares: the same output and errors as one thread, and the memo re-checks unchanged apps when the library changes', () => {
      const { bin } = install();
      const fleet = tmp();
      writeFleet(fleet, 30, 1);
      const example = (file: string) => fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8');
      // cart in the first thread's share; the library and orders, which use it, in the worker's.
      fs.writeFileSync(path.join(fleet, '00-cart.yaml'), example('cart-vs-stable.yaml'));
      fs.writeFileSync(path.join(fleet, 'zy-orders.yaml'), example('orders-vs-stable.yaml'));
      fs.writeFileSync(path.join(fleet, 'zz-platform-analysis.yaml'), example('platform-analysis.yaml'));
      const cache = tmp();
      const synth = (jobs: string, out: string) => {
        const { status, stderr } = spawnSync(process.execPath, [bin, 'synth', fleet, '--out', out, '--jobs', jobs], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cache } });
        return { status, stderr };
      };
      const [serialOut, parallelOut] = [tmp(), tmp()];
      expect(synth('1', serialOut)).toEqual({ status: 0, stderr: `wrote 33 file(s) to ${serialOut}\n` });
      expect(synth('2', parallelOut)).toEqual({ status: 0, stderr: `${THREADS}wrote 33 file(s) to ${parallelOut}\n` });
      const written = readTree(parallelOut);
      expect(written).toEqual(readTree(serialOut));
      expect(written['platform-analysis.k8s.yaml']).toBe(fs.readFileSync(path.join(ROOT, 'dist', 'platform-analysis.k8s.yaml'), 'utf8'));
      expect(written['orders.k8s.yaml']).toBe(fs.readFileSync(path.join(ROOT, 'dist', 'orders.k8s.yaml'), 'utf8'));

      // Every file reused: nothing to load, so no thread is started.
      expect(synth('2', parallelOut)).toEqual({ status: 0, stderr: `33 of 33 app(s) unchanged since the last run: not synthesized again\nwrote 33 file(s) to ${parallelOut}\n` });
      // The library now needs an arg neither app supplies: the memo's files are loaded again, on two
      // threads, and both apps' references fail, cart's (first share) before orders' (the worker's).
      const library = path.join(fleet, 'zz-platform-analysis.yaml');
      fs.writeFileSync(library, fs.readFileSync(library, 'utf8').replace('        - name: stable-hash\n', '        - name: stable-hash\n        - name: team\n'));
      const serial = synth('1', parallelOut);
      expect(serial.status).toBe(1);
      const needsTeam = 'spec.canary.analysis.args: template "errors-vs-stable" needs arg "team", which has no default and is not supplied';
      expect(serial.stderr).toBe([
        `${library}: warning: platform-analysis: spec.analysisTemplates[0].args: arg "team" is declared but no metric uses {{args.team}}`,
        `${path.join(fleet, '00-cart.yaml')}: cart: ${needsTeam}`,
        `${path.join(fleet, 'zy-orders.yaml')}: orders: ${needsTeam}`,
        '2 error(s); nothing was written',
        '',
      ].join('\n'));
      expect(synth('2', parallelOut)).toEqual({ ...serial, stderr: `${THREADS}${serial.stderr}` });
      expect(readTree(parallelOut)).toEqual(written);
    });

    test('below the threshold a run stays on one thread; --jobs takes a whole number', () => {
      const { bin } = install();
      expect(synthJobs(bin, undefined, EXAMPLES_DIR, '--out', tmp()).stderr).toMatch(/^wrote \d+ file\(s\)/);
      expect(synthJobs(bin, '0', EXAMPLES_DIR, '--out', tmp())).toMatchObject({ status: 2, stderr: expect.stringContaining("option '-j, --jobs <n>' argument '0' is invalid. a whole number of threads, 1 to 999") });
    });
  });

  test('a reader that stops early (schema | head) ends the command quietly, exit 0', () => {
    const { bin } = install();
    const result = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${bin}" schema | head -c 1 >/dev/null`], { encoding: 'utf8' });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  });

  test('without the bundle: says how to build it, exit 70', () => {
    const { bin } = install();
    fs.rmSync(path.join(path.dirname(bin), '..', 'lib', 'cli.js'), { force: true });
    const result = spawnSync(process.execPath, [bin, 'synth', EXAMPLES_DIR], { encoding: 'utf8' });
    expect(result.status).toBe(70);
    expect(result.stderr).toMatch(/lib\/cli\.js is missing; run `npm run build`/);
  });
});

function snapshotName(specFile: string): string {
  const name = /metadata:\n\s+name: (\S+)/.exec(fs.readFileSync(specFile, 'utf8'))![1];
  return `${name}.k8s.yaml`;
}
