import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { run } from '../../src/cli/main';
import { contentHash, MANIFEST } from '../../src/targets/output';
import { readTree } from '../support/files';
import { runCli as cli, runCliIn } from '../support/cli';
import { exampleFiles, ROOT, standaloneExampleFiles } from '../support/examples';
import { specYaml } from '../support/specs';
import { tmp } from '../support/tmp';

/** `canarykit synth` as the installed command runs it: with its build identity, so with the memo. */
function synth(build: string, ...args: string[]): { code: number; stderr: string } {
  let stderr = '';
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => { stderr += String(chunk); return true; });
  try {
    return { code: run(['synth', ...args], { build }), stderr };
  } finally {
    err.mockRestore();
  }
}

const cacheHome = tmp('memo');
let savedCacheHome: string | undefined;
beforeAll(() => {
  savedCacheHome = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = cacheHome;
});
afterAll(() => {
  if (savedCacheHome === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = savedCacheHome;
});

/** A copy of the examples, one spec file per app, to change. */
function specs(): string {
  const dir = tmp('memo-specs');
  for (const f of exampleFiles()) fs.copyFileSync(f, path.join(dir, path.basename(f)));
  return dir;
}
const apps = exampleFiles().length;
const unchanged = (n: number) => `${n} of ${apps} app(s) unchanged since the last run: not synthesized again\n`;
/** What a full run (no memo) writes for the same specs. */
function fullRun(dir: string): Record<string, string> {
  const out = tmp('memo-full');
  expect(cli('synth', dir, '--out', out).code).toBe(0);
  return readTree(out);
}

describe('incremental synth (a local memo keyed by content)', () => {
  test('an unchanged fleet is not synthesized again, and its output is byte-identical to the committed dist/', () => {
    const dir = specs();
    const out = tmp('memo-out');
    expect(synth('b1', dir, '--out', out).stderr).not.toContain('unchanged');
    expect(synth('b1', dir, '--out', out).stderr).toContain(unchanged(apps));
    expect(readTree(out)).toEqual(readTree(path.join(ROOT, 'dist')));
  });

  test('one byte changed anywhere relevant is seen: in a spec, in an output file, in canarykit, in the output directory; --no-cache synthesizes all', () => {
    const dir = specs();
    const out = tmp('memo-out');
    synth('b1', dir, '--out', out);
    const spec = path.join(dir, 'jhandguy-sample-app.yaml');
    // The spec: one digit of the image tag.
    fs.writeFileSync(spec, fs.readFileSync(spec, 'utf8').replace('tag: 1.0.0', 'tag: 1.0.1'));
    expect(synth('b1', dir, '--out', out).stderr).toContain(unchanged(apps - 1));
    expect(readTree(out)).toEqual(fullRun(dir));
    expect(fs.readFileSync(path.join(out, 'sample-app.k8s.yaml'), 'utf8')).toContain('sample-app:1.0.1');
    // An output file: one byte, with the manifest's hash updated so the writer would keep it.
    const file = path.join(out, 'sample-app.k8s.yaml');
    const tampered = fs.readFileSync(file, 'utf8').replace('replicas: ', 'replicas: 9');
    fs.writeFileSync(file, tampered);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, MANIFEST), 'utf8')) as { files: Record<string, string> };
    manifest.files['sample-app.k8s.yaml'] = contentHash(tampered);
    fs.writeFileSync(path.join(out, MANIFEST), JSON.stringify(manifest));
    expect(synth('b1', dir, '--out', out).stderr).toContain(unchanged(apps - 1));
    expect(readTree(out)).toEqual(fullRun(dir));
    // canarykit: another build.
    expect(synth('b2', dir, '--out', out).stderr).not.toContain('unchanged');
    // Another output directory has its own memo.
    const other = tmp('memo-out');
    expect(synth('b2', dir, '--out', other).stderr).not.toContain('unchanged');
    expect(synth('b2', dir, '--no-cache', '--out', other).stderr).not.toContain('unchanged');
    expect(readTree(other)).toEqual(readTree(out));
  });

  test('cross-app checks still see every app: a new spec colliding with an unchanged app, or repeating its name, fails as in a full run', () => {
    const dir = specs();
    const out = tmp('memo-out');
    synth('b1', dir, '--out', out);
    const before = readTree(out);
    // sample-app's canary Service is sample-app-canary; an app of that name in the same namespace has it as its root Service.
    fs.writeFileSync(path.join(dir, 'zz-collides.yaml'), specYaml(undefined, { name: 'sample-app-canary', namespace: 'sample-app' }));
    const collision = synth('b1', dir, '--out', out);
    const full = cli('synth', dir, '--out', tmp('memo-full'));
    expect(collision).toEqual({ code: 1, stderr: `${apps} of ${apps + 1} app(s) unchanged since the last run: not synthesized again\n${full.stderr}` });
    expect(full.stderr).toContain('Service sample-app/sample-app-canary is also an object of app sample-app');
    fs.writeFileSync(path.join(dir, 'zz-collides.yaml'), specYaml(undefined, { name: 'sample-app', namespace: 'elsewhere' }));
    const duplicate = synth('b1', dir, '--out', out);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toBe(cli('synth', dir, '--out', tmp('memo-full')).stderr);
    expect(duplicate.stderr).toContain('duplicate app name "sample-app"');
    expect(readTree(out)).toEqual(before);
  });
});

describe('--check (synth, chart, argocd): writes nothing, exit 1 with a unified diff', () => {
  test.each([
    ['synth', []],
    ['chart', []],
    ['argocd', ['--repo-url', 'https://github.com/example/canarykit-deploy.git']],
  ])('%s --check', (command, extra) => {
    const dir = specs();
    // Argo CD paths are relative to the repository: every command runs in a scratch "repository".
    const repo = tmp('check-repo');
    const out = 'out';
    const cmd = (...args: string[]) => runCliIn(repo, command, dir, '--out', out, ...extra, ...args);
    expect(cmd().code).toBe(0);
    const before = readTree(path.join(repo, out));
    const upToDate = cmd('--check');
    expect({ code: upToDate.code, stdout: upToDate.stdout }).toEqual({ code: 0, stdout: '' });
    expect(upToDate.stderr).toMatch(new RegExp(`(^|\n)${out} is up to date\n$`));
    const spec = path.join(dir, 'jhandguy-sample-app.yaml');
    fs.writeFileSync(spec, fs.readFileSync(spec, 'utf8').replace('name: sample-app\n', 'name: sample-app-2\n'));
    const result = cmd('--check');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`(^|\\n)${out} is not up to date: \\d+ file\\(s\\) would change \\(the diff above\\); run the command without --check\n$`));
    expect(result.stdout).toMatch(/^--- (a\/|\/dev\/null)/);
    expect(result.stdout).toContain('+++ b/');
    expect(result.stdout).toMatch(/^\+.*sample-app-2/m);
    expect(readTree(path.join(repo, out))).toEqual(before);
  });

  test('the diff applies with the real patch(1) and gives what a run writes', () => {
    const dir = specs();
    const out = tmp('check-out');
    cli('synth', dir, '--out', out);
    const spec = path.join(dir, 'jhandguy-sample-app.yaml');
    fs.writeFileSync(spec, fs.readFileSync(spec, 'utf8').replace('tag: 1.0.0', 'tag: 2.0.0'));
    fs.rmSync(path.join(dir, path.basename(standaloneExampleFiles()[0])));
    const { stdout } = cli('synth', dir, '--out', out, '--check');
    const patched = tmp('check-patched');
    fs.cpSync(out, patched, { recursive: true });
    const result = spawnSync('patch', ['-s', '-p1', '-d', patched], { input: stdout, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(cli('synth', dir, '--out', out).code).toBe(0);
    expect(readTree(patched)).toEqual(readTree(out));
  });
});
