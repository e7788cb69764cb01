import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn, spawnSync } from 'child_process';
import { contentHash, diffOutput, LOCK, MANIFEST, OutputError, recoverOutput, writeOutput } from '../../src/targets/output';
import { readTree } from '../support/files';
import { runCli as cli } from '../support/cli';
import { EXAMPLES_DIR, ROOT, standaloneExampleFiles } from '../support/examples';
import { tmp } from '../support/tmp';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- bench/fleet.js is plain CommonJS, without types
const { writeFleet } = require('../../bench/fleet') as { writeFleet: (dir: string, n: number) => void };

const manifestOf = (files: Record<string, string>) => `${JSON.stringify({ version: 2, files: Object.fromEntries(Object.entries(files).sort().map(([f, c]) => [f, contentHash(c)])) }, null, 2)}\n`;

describe('writeOutput (files written by a worker thread, then moved into place)', () => {
  test('writes every file of a large lazy output, nested paths included, and the manifest with each file\'s sha256', () => {
    const out = path.join(tmp(), 'out');
    function* files(): Generator<[string, string]> {
      for (let i = 0; i < 500; i++) yield [i % 5 === 0 ? `chart-${i}/templates/rollout.yaml` : `app-${i}.k8s.yaml`, `content ${i}\n`.repeat(50)];
    }
    const result = writeOutput(out, files());
    const expected = Object.fromEntries([...files()]);
    const written = readTree(out);
    expect(written[MANIFEST]).toBe(manifestOf(expected));
    delete written[MANIFEST];
    expect(written).toEqual(expected);
    expect(result.written).toEqual(Object.keys(expected).sort());
  });

  test('when producing the files throws: the error propagates, the previous output stays as it was', () => {
    const out = path.join(tmp(), 'out');
    writeOutput(out, new Map([['a.yaml', 'first\n']]));
    const before = readTree(out);
    function* failing(): Generator<[string, string]> {
      yield ['a.yaml', 'second\n'];
      yield ['b.yaml', 'new\n'];
      throw new Error('two apps collide');
    }
    expect(() => writeOutput(out, failing())).toThrow('two apps collide');
    expect(readTree(out)).toEqual(before);
  });

  test('a failed first run leaves no trace, not even the output directories it created', () => {
    const parent = tmp();
    function* failing(): Generator<[string, string]> {
      yield ['a.yaml', 'x\n'];
      throw new Error('invalid');
    }
    expect(() => writeOutput(path.join(parent, 'out', 'nested'), failing())).toThrow('invalid');
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  // Small outputs are written on the calling thread, large ones by the writer thread.
  test.each([['small', 'y\n'], ['large', 'y'.repeat(300_000)]])('a %s file that cannot be written fails the run, naming it; nothing is moved into place', (_, content) => {
    const out = path.join(tmp(), 'out');
    // `a` is written as a file, so `a/b.yaml` cannot be.
    writeOutput(out, new Map([['kept.yaml', 'kept\n']]));
    const before = readTree(out);
    expect(() => writeOutput(out, new Map([['a', 'x\n'], ['a/b.yaml', content]]))).toThrow(/cannot write .*a\/b\.yaml: /);
    expect(readTree(out)).toEqual(before);
  });

  test('a file already holding its new content is not written again (its inode and mtime stay)', () => {
    const out = path.join(tmp(), 'out');
    writeOutput(out, new Map([['same.yaml', 'same\n'], ['changes.yaml', 'v1\n']]));
    const before = fs.statSync(path.join(out, 'same.yaml'));
    writeOutput(out, new Map([['same.yaml', 'same\n'], ['changes.yaml', 'v2\n']]));
    const after = fs.statSync(path.join(out, 'same.yaml'));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(fs.readFileSync(path.join(out, 'changes.yaml'), 'utf8')).toBe('v2\n');
  });
});

/**
 * Issue 22, "the output writer can be turned against its owner": each case as a committed output
 * directory (symlinks and manifest included) could be shaped by a pull request. These are the README's
 * promises about what canarykit never does to a directory.
 */
describe('the output writer cannot be turned against its owner', () => {
  /** An output directory with canarykit's files `a.yaml` and `sub/b.yaml`, and a victim file beside it. */
  function owned(): { dir: string; out: string; victim: string } {
    const dir = tmp('writer');
    const out = path.join(dir, 'out');
    writeOutput(out, new Map([['a.yaml', 'a\n'], ['sub/b.yaml', 'b\n']]));
    const victim = path.join(dir, 'victim');
    fs.mkdirSync(victim);
    fs.writeFileSync(path.join(victim, 'id_rsa'), 'secret\n');
    return { dir, out, victim };
  }
  const setManifest = (out: string, manifest: unknown) => fs.writeFileSync(path.join(out, MANIFEST), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));

  test('never removes through a symlink: a manifest entry link/id_rsa with link -> ../victim leaves the victim, with a warning', () => {
    const { out, victim } = owned();
    fs.symlinkSync(victim, path.join(out, 'link'));
    setManifest(out, { version: 2, files: { 'a.yaml': contentHash('a\n'), 'link/id_rsa': contentHash('secret\n') } });
    const result = writeOutput(out, new Map([['a.yaml', 'a\n']]));
    expect(fs.readFileSync(path.join(victim, 'id_rsa'), 'utf8')).toBe('secret\n');
    expect(result.removed).toEqual([]);
    expect(result.warnings).toEqual([`${path.join(out, 'link/id_rsa')}: ${path.join(out, 'link')} is a symlink; canarykit never writes or removes through one; left in place`]);
  });

  test('never writes through a symlink inside the output directory: charts/web -> ../outside is an error, nothing written outside', () => {
    const dir = tmp('writer');
    const charts = path.join(dir, 'charts');
    const outside = path.join(dir, 'outside');
    fs.mkdirSync(charts);
    fs.mkdirSync(outside);
    const web = fs.readdirSync(path.join(ROOT, 'charts')).find((c) => c !== MANIFEST)!;
    fs.symlinkSync(outside, path.join(charts, web));
    const { code, stderr } = cli('chart', EXAMPLES_DIR, '--out', charts);
    expect(code).toBe(1);
    expect(stderr).toBe(`${path.join(charts, web)} is a symlink; canarykit never writes or removes through one\n`);
    expect(fs.readdirSync(outside)).toEqual([]);
    expect(fs.readdirSync(charts)).toEqual([web]);
  });

  test.each([
    ['the output directory', (dir: string) => ({ link: path.join(dir, 'dist'), out: path.join(dir, 'dist') })],
    ['a directory of a relative --out path', (dir: string) => ({ link: path.join(dir, 'deploy'), out: path.join(dir, 'deploy', 'dist') })],
  ])('never writes through a symlink at the top: %s is a symlink -> exit 1, nothing written', (_, paths) => {
    const dir = tmp('writer');
    const target = path.join(dir, 'elsewhere');
    fs.mkdirSync(target);
    const { link, out } = paths(dir);
    fs.symlinkSync(target, link);
    const before = process.cwd();
    process.chdir(dir);
    try {
      const { code, stderr } = cli('synth', standaloneExampleFiles()[0], '--out', path.relative(dir, out));
      expect({ code, stderr }).toEqual({ code: 1, stderr: `${path.relative(dir, link)} is a symlink; canarykit never writes through one (give the real directory)\n` });
    } finally {
      process.chdir(before);
    }
    expect(readTree(target)).toEqual({});
  });

  test('a symlink where canarykit writes a file is a conflict (replaced, never followed, only with --force)', () => {
    const { out, victim } = owned();
    fs.rmSync(path.join(out, 'a.yaml'));
    fs.symlinkSync(path.join(victim, 'id_rsa'), path.join(out, 'a.yaml'));
    expect(() => writeOutput(out, new Map([['a.yaml', 'a\n']]))).toThrow(/a\.yaml: exists and was not written by canarykit/);
    writeOutput(out, new Map([['a.yaml', 'a\n']]), { force: true });
    expect(fs.lstatSync(path.join(out, 'a.yaml')).isFile()).toBe(true);
    expect(fs.readFileSync(path.join(victim, 'id_rsa'), 'utf8')).toBe('secret\n');
  });

  test('removes only files whose content is what canarykit wrote: a manifest entry for a hand-written file, or a changed one, leaves it', () => {
    const { out } = owned();
    fs.writeFileSync(path.join(out, 'notes.md'), 'mine\n');
    fs.writeFileSync(path.join(out, 'sub', 'b.yaml'), 'b, edited by hand\n');
    setManifest(out, { version: 2, files: { 'a.yaml': contentHash('a\n'), 'notes.md': contentHash('what the attacker guessed\n'), 'sub/b.yaml': contentHash('b\n') } });
    const result = writeOutput(out, new Map([['a.yaml', 'a\n']]));
    expect(result.removed).toEqual([]);
    expect(result.warnings).toEqual([
      `${path.join(out, 'notes.md')}: changed since canarykit wrote it; left in place`,
      `${path.join(out, 'sub/b.yaml')}: changed since canarykit wrote it; left in place`,
    ]);
    expect(readTree(out)).toEqual({ 'a.yaml': 'a\n', 'notes.md': 'mine\n', 'sub/b.yaml': 'b, edited by hand\n', [MANIFEST]: manifestOf({ 'a.yaml': 'a\n' }) });
  });

  test('a manifest without hashes (an older canarykit) never removes; its files may still be replaced by name', () => {
    const { out } = owned();
    setManifest(out, { files: ['a.yaml', 'sub/b.yaml'] });
    const result = writeOutput(out, new Map([['a.yaml', 'a2\n']]));
    expect(result.warnings).toEqual([`${path.join(out, 'sub/b.yaml')}: recorded without a content hash by an older canarykit, so it is not known to be unchanged; left in place`]);
    expect(readTree(out)).toEqual({ 'a.yaml': 'a2\n', 'sub/b.yaml': 'b\n', [MANIFEST]: manifestOf({ 'a.yaml': 'a2\n' }) });
  });

  test('a manifest entry naming a directory (or anything not a regular file) is left alone', () => {
    const { out } = owned();
    setManifest(out, { version: 2, files: { 'a.yaml': contentHash('a\n'), sub: contentHash('b\n') } });
    const result = writeOutput(out, new Map([['a.yaml', 'a\n']]));
    expect(result.warnings).toEqual([`${path.join(out, 'sub')}: is a directory, which canarykit never wrote; left in place`]);
    expect(fs.readFileSync(path.join(out, 'sub', 'b.yaml'), 'utf8')).toBe('b\n');
  });

  test.each<[string, unknown, string]>([
    ['not JSON', '{"files": [', 'not JSON: '],
    ['null', 'null', 'no "files"'],
    ['files not a list or map', { files: 5 }, 'no "files"'],
    ['a path outside the directory', { version: 2, files: { '../victim/id_rsa': contentHash('secret\n') } }, '"../victim/id_rsa" is not a plain relative path inside the directory'],
    ['an absolute path', { files: ['/etc/passwd'] }, '"/etc/passwd" is not a plain relative path inside the directory'],
    ['a non-string entry', { files: [{}] }, '{} is not a plain relative path inside the directory'],
    ['the lock as an entry', { files: [LOCK] }, `"${LOCK}" is not a plain relative path inside the directory`],
    ['a hash that is not a sha256', { version: 2, files: { 'a.yaml': 'abc' } }, 'the hash of a.yaml is not a sha256'],
  ])('a malformed or hostile manifest (%s): exit 1 naming it, nothing moved; --force replaces it', (_, manifest, why) => {
    const { out } = owned();
    setManifest(out, manifest);
    const before = readTree(out);
    const { code, stderr } = cli('schema', '--out', out);
    expect(code).toBe(1);
    expect(stderr).toContain(`${path.join(out, MANIFEST)}: not a manifest canarykit wrote (${why}`);
    expect(stderr).toMatch(/restore it from version control, or move it away and run again with --force\n$/);
    expect(readTree(out)).toEqual(before);
    expect(writeOutput(out, new Map([['a.yaml', 'a\n']]), { force: true }).written).toEqual(['a.yaml']);
    expect(fs.readFileSync(path.join(out, MANIFEST), 'utf8')).toBe(manifestOf({ 'a.yaml': 'a\n' }));
  });

  test('a manifest that is a directory or a symlink is not read', () => {
    const { out, victim } = owned();
    fs.rmSync(path.join(out, MANIFEST));
    fs.symlinkSync(path.join(victim, 'id_rsa'), path.join(out, MANIFEST));
    expect(() => writeOutput(out, new Map([['a.yaml', 'a\n']]))).toThrow(`${path.join(out, MANIFEST)}: not a manifest canarykit wrote (a symlink)`);
    fs.rmSync(path.join(out, MANIFEST));
    fs.mkdirSync(path.join(out, MANIFEST));
    expect(() => writeOutput(out, new Map([['a.yaml', 'a\n']]))).toThrow('(not a regular file)');
  });

  test('one run at a time: a live run\'s lock is an error naming it; the lock of a killed run is taken over', () => {
    const { out } = owned();
    const holder = spawn('sleep', ['30']);
    try {
      fs.writeFileSync(path.join(out, LOCK), JSON.stringify({ host: os.hostname(), pid: holder.pid }));
      const before = readTree(out);
      const { code, stderr } = cli('schema', '--out', out);
      expect({ code, stderr }).toEqual({ code: 1, stderr: `${out}: another canarykit run (pid ${holder.pid} on ${os.hostname()}) is writing here; wait for it, or remove ${path.join(out, LOCK)} if no run is\n` });
      expect(readTree(out)).toEqual(before);
    } finally {
      holder.kill('SIGKILL');
    }
    // A process that has exited (and been reaped, as a killed run is by its shell).
    const gone = spawnSync('true').pid;
    fs.writeFileSync(path.join(out, LOCK), JSON.stringify({ host: os.hostname(), pid: gone }));
    expect(cli('schema', '--out', out).code).toBe(0);
    expect(fs.existsSync(path.join(out, LOCK))).toBe(false);
  });

  test('a lock that is a symlink to a victim file is removed as a link; the victim stays', () => {
    const { out, victim } = owned();
    fs.symlinkSync(path.join(victim, 'id_rsa'), path.join(out, LOCK));
    expect(writeOutput(out, new Map([['a.yaml', 'a\n']])).written).toEqual(['a.yaml']);
    expect(fs.readFileSync(path.join(victim, 'id_rsa'), 'utf8')).toBe('secret\n');
    expect(fs.existsSync(path.join(out, LOCK))).toBe(false);
  });

  test('a committed temporary directory whose journal takes files through a symlink moves nothing in from outside', () => {
    const { out, victim } = owned();
    const planted = path.join(out, '.canarykit-tmp-evil');
    fs.mkdirSync(planted);
    fs.symlinkSync(victim, path.join(planted, 'files'));
    fs.writeFileSync(path.join(planted, 'journal.json'), JSON.stringify({ moves: [{ rel: 'id_rsa', before: null }], removals: [] }));
    fs.writeFileSync(path.join(out, '.canarykit-tmp-file'), 'x');
    recoverOutput(out);
    expect(fs.readFileSync(path.join(victim, 'id_rsa'), 'utf8')).toBe('secret\n');
    expect(fs.readdirSync(out).sort()).toEqual([MANIFEST, 'a.yaml', 'sub']);
  });

  test('a committed temporary directory whose journal moves a file over one canarykit did not write (content unknown to its author) leaves it', () => {
    const { out } = owned();
    fs.writeFileSync(path.join(out, 'notes.md'), 'mine\n');
    const planted = path.join(out, '.canarykit-tmp-evil');
    fs.mkdirSync(path.join(planted, 'files'), { recursive: true });
    fs.writeFileSync(path.join(planted, 'files', 'notes.md'), 'attacker\n');
    fs.writeFileSync(path.join(planted, 'files', 'a.yaml'), 'attacker\n');
    fs.writeFileSync(path.join(planted, 'journal.json'), JSON.stringify({
      moves: [{ rel: 'notes.md', before: null }, { rel: 'a.yaml', before: contentHash('guessed\n') }],
      removals: [],
    }));
    recoverOutput(out);
    expect(readTree(out)).toEqual({ 'a.yaml': 'a\n', 'notes.md': 'mine\n', 'sub/b.yaml': 'b\n', [MANIFEST]: manifestOf({ 'a.yaml': 'a\n', 'sub/b.yaml': 'b\n' }) });
  });

  test('every failing file-system step is a clear error (exit 1, never 70), and the next run starts from the old or the new output', () => {
    const out = path.join(tmp('writer'), 'out');
    const [oldFiles, newFiles] = [new Map([['a.yaml', 'a\n'], ['gone/b.yaml', 'b\n'], ['same.yaml', 's\n']]), new Map([['a.yaml', 'a2\n'], ['c/d.yaml', 'c\n'], ['same.yaml', 's\n']])];
    writeOutput(out, oldFiles);
    const oldTree = readTree(out);
    const reference = path.join(tmp('writer'), 'out');
    writeOutput(reference, oldFiles);
    writeOutput(reference, newFiles);
    const newTree = readTree(reference);
    // The module object itself (the `import * as` namespace has read-only bindings); output.ts reads through to it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeFs = require('fs') as typeof fs;
    const mutating = ['renameSync', 'unlinkSync', 'rmSync', 'rmdirSync', 'mkdirSync', 'writeFileSync', 'mkdtempSync', 'openSync', 'writeSync'] as const;
    const outcomes = new Set<string>();
    for (let failAt = 1; ; failAt++) {
      let calls = 0;
      const spies = mutating.map((name) => {
        const real = nodeFs[name] as (...args: unknown[]) => unknown;
        return jest.spyOn(nodeFs, name).mockImplementation(((...args: unknown[]) => {
          if (++calls === failAt) throw Object.assign(new Error(`EIO: i/o error, ${name}`), { code: 'EIO', syscall: name.replace('Sync', '') });
          return real.apply(nodeFs, args);
        }) as never);
      });
      let error: unknown;
      try {
        writeOutput(out, newFiles);
      } catch (e) {
        error = e;
      } finally {
        spies.forEach((s) => s.mockRestore());
      }
      if (error === undefined) break;
      expect(error).toBeInstanceOf(OutputError);
      expect((error as Error).message).toMatch(new RegExp(`^cannot write ${out}.*: EIO: i/o error`));
      recoverOutput(out);
      const tree = readTree(out);
      expect([oldTree, newTree]).toContainEqual(tree);
      outcomes.add(JSON.stringify(tree) === JSON.stringify(oldTree) ? 'old' : 'new');
      // Back to the old output for the next step.
      writeOutput(out, oldFiles);
    }
    expect([...outcomes].sort()).toEqual(['new', 'old']);
  }, 60_000);
});

describe('a run killed with SIGKILL at any step', () => {
  // The installed command (bin/canarykit.js + the bundle lib/cli.js), with a preloaded module that counts
  // the main thread's file-system changes and kills the process at the chosen one.
  const CRASH = `
const fs = require('fs');
// The writer thread loads this too; only the main thread's steps are counted.
if (!require('worker_threads').isMainThread) return;
let calls = 0;
const at = Number(process.env.CRASH_AT);
for (const name of ['renameSync', 'unlinkSync', 'rmSync', 'rmdirSync', 'mkdirSync', 'writeFileSync', 'mkdtempSync', 'openSync', 'writeSync']) {
  const real = fs[name];
  fs[name] = function (...args) {
    if (++calls === at) process.kill(process.pid, 'SIGKILL');
    return real.apply(this, args);
  };
}
process.on('exit', () => process.stderr.write('calls ' + calls + '\\n'));
`;

  // A copy of the command, so that its code cache is its own (see test/cli/main.test.ts).
  const home = tmp('crash');
  beforeAll(() => {
    fs.mkdirSync(path.join(home, 'bin'));
    fs.mkdirSync(path.join(home, 'lib'));
    fs.copyFileSync(path.join(ROOT, 'bin', 'canarykit.js'), path.join(home, 'bin', 'canarykit.js'));
    fs.copyFileSync(path.join(ROOT, 'lib', 'cli.js'), path.join(home, 'lib', 'cli.js'));
    fs.writeFileSync(path.join(home, 'crash.js'), CRASH);
  });

  function killedRun(spec: string, out: string, at: number): { status: number | null; calls: number } {
    const run = spawnSync(process.execPath, ['-r', path.join(home, 'crash.js'), path.join(home, 'bin', 'canarykit.js'), 'synth', spec, '--out', out], { encoding: 'utf8', env: { ...process.env, CRASH_AT: String(at) } });
    return { status: run.status, calls: Number(/calls (\d+)/.exec(run.stderr)?.[1] ?? -1) };
  }

  function fleet(dir: string, apps: readonly string[]): string {
    fs.mkdirSync(dir, { recursive: true });
    for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f));
    apps.forEach((text, i) => fs.writeFileSync(path.join(dir, `app-${i}.yaml`), text));
    return dir;
  }

  test('leaves, once the next run starts, exactly the old or the new output: no mix, no temporary directory, no lock', () => {
    const dir = tmp('crash');
    const examples = standaloneExampleFiles().map((f) => fs.readFileSync(f, 'utf8'));
    const oldSpecs = examples.slice(0, 3);
    // One app changed, one removed, one added.
    const newSpecs = [examples[0].replace(/tag: (\S+)/, 'tag: 9.9.9'), examples[2], examples[3]];
    const trees: Record<string, string>[] = [];
    for (const specs of [oldSpecs, newSpecs]) {
      const out = path.join(dir, `reference-${trees.length}`);
      expect(cli('synth', fleet(path.join(dir, 'specs'), specs), '--out', out).code).toBe(0);
      trees.push(readTree(out));
    }
    const out = path.join(dir, 'out');
    const specs = path.join(dir, 'specs');
    fleet(specs, newSpecs);
    const prepare = () => {
      fs.rmSync(out, { recursive: true, force: true });
      expect(cli('synth', fleet(path.join(dir, 'old-specs'), oldSpecs), '--out', out).code).toBe(0);
    };
    // The first run writes the command's code cache; the second counts the steps of a run like the killed ones.
    prepare();
    killedRun(specs, out, 0);
    prepare();
    const { calls } = killedRun(specs, out, 0);
    expect(readTree(out)).toEqual(trees[1]);
    expect(calls).toBeGreaterThan(10);
    const seen = new Set<string>();
    for (let at = 1; at <= calls; at++) {
      prepare();
      expect(killedRun(specs, out, at).status).toBe(null);
      recoverOutput(out);
      const tree = readTree(out);
      expect([trees[0], trees[1]]).toContainEqual(tree);
      seen.add(JSON.stringify(tree) === JSON.stringify(trees[0]) ? 'old' : 'new');
      // And the next run itself completes.
      expect(cli('synth', specs, '--out', out).code).toBe(0);
      expect(readTree(out)).toEqual(trees[1]);
    }
    expect([...seen].sort()).toEqual(['new', 'old']);
  }, 600_000);

  test('killed in the middle of the final renames of a 600-app run (written by the writer thread): the next run starts from the new output', () => {
    const dir = tmp('crash');
    const oldSpecs = path.join(dir, 'old');
    const newSpecs = path.join(dir, 'new');
    writeFleet(oldSpecs, 600);
    writeFleet(newSpecs, 600);
    // Every app changes, so every file is renamed into place.
    for (const f of fs.readdirSync(newSpecs)) fs.writeFileSync(path.join(newSpecs, f), fs.readFileSync(path.join(newSpecs, f), 'utf8').replace(/tag: (\S+)/g, 'tag: 7.7.7'));
    const out = path.join(dir, 'out');
    const prepare = () => {
      fs.rmSync(out, { recursive: true, force: true });
      expect(cli('synth', oldSpecs, '--out', out).code).toBe(0);
      return readTree(out);
    };
    const oldTree = prepare();
    const { calls } = killedRun(newSpecs, out, 0);
    const newTree = readTree(out);
    expect(Object.keys(newTree)).toHaveLength(601);
    prepare();
    // The renames are the last ~600 steps but a few: half-way through them.
    expect(killedRun(newSpecs, out, calls - 300).status).toBe(null);
    const killed = readTree(out);
    // What the old writer left for good: some files new, some old.
    const renamed = Object.keys(oldTree).filter((f) => f.endsWith('.k8s.yaml') && killed[f] === newTree[f]);
    expect(renamed.length).toBeGreaterThan(0);
    expect(renamed.length).toBeLessThan(600);
    recoverOutput(out);
    expect(readTree(out)).toEqual(newTree);
  }, 600_000);
});

describe('diffOutput (--check)', () => {
  test('empty when up to date; otherwise a unified diff of every file that would change, appear or be removed, the manifest included', () => {
    const out = path.join(tmp(), 'out');
    writeOutput(out, new Map([['a.yaml', 'one\ntwo\n'], ['gone.yaml', 'g\n']]));
    const before = readTree(out);
    expect(diffOutput(out, new Map([['a.yaml', 'one\ntwo\n'], ['gone.yaml', 'g\n']]))).toBe('');
    const diff = diffOutput(out, new Map([['a.yaml', 'one\n2\n'], ['new.yaml', 'n\n']]));
    expect(diff).toContain('--- a/a.yaml\n+++ b/a.yaml\n@@ -1,2 +1,2 @@\n one\n-two\n+2\n');
    expect(diff).toContain('--- a/gone.yaml\n+++ /dev/null\n@@ -1 +0,0 @@\n-g\n');
    expect(diff).toContain('--- /dev/null\n+++ b/new.yaml\n@@ -0,0 +1 @@\n+n\n');
    expect(diff).toContain(`--- a/${MANIFEST}\n+++ b/${MANIFEST}\n`);
    expect(readTree(out)).toEqual(before);
  });
});
