/** `canarykit argocd`: the committed argocd/ is what package.json's synth script writes; user errors write nothing. */
import * as fs from 'fs';
import * as path from 'path';
import { load } from 'js-yaml';
import { ROOT_FILE } from '../../src/targets/argocd';
import { runCliIn as cli } from '../support/cli';
import { EXAMPLES_DIR, ROOT } from '../support/examples';
import { readTree } from '../support/files';
import { tmp } from '../support/tmp';

const REPO = 'https://github.com/example/canarykit-deploy.git';

describe('canarykit argocd', () => {
  test('npm run synth wrote the committed argocd/ with the arguments in package.json', () => {
    const script: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.synth;
    const command = script.split('&&').map((s) => s.trim()).find((s) => s.startsWith('node bin/canarykit.js argocd '))!;
    const args = command.split(/\s+/).slice(2).map((a) => (a === 'examples' ? EXAMPLES_DIR : a));
    const out = tmp();
    expect(cli(out, ...args).code).toBe(0);
    const outDir = args[args.indexOf('--out') + 1];
    expect(readTree(path.join(out, outDir))).toEqual(readTree(path.join(ROOT, outDir)));
  });

  test('an app named like the root Application: exit 1 naming it, nothing written', () => {
    const cwd = tmp();
    const result = cli(cwd, 'argocd', path.join(EXAMPLES_DIR, 'jhandguy-sample-app.yaml'), '--repo-url', REPO, '--root-name', 'sample-app');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('sample-app: metadata.name: "sample-app" names two Applications (apps and the root app-of-apps, --root-name, share one namespace, argocd)');
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  test('a credential in --repo-url: exit 1, the token not echoed, nothing written', () => {
    for (const url of ['https://oauth2:glpat-s3cret@gitlab.com/example/deploy.git', 'https://ghp_s3cret@github.com/example/deploy.git', 'https://github.com/example/deploy.git?access_token=s3cret']) {
      const cwd = tmp();
      const result = cli(cwd, 'argocd', path.join(EXAMPLES_DIR, 'jhandguy-sample-app.yaml'), '--repo-url', url);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^--repo-url has .*; give Argo CD the credential in a repository Secret/);
      expect(result.stderr).not.toContain('s3cret');
      expect(fs.readdirSync(cwd)).toEqual([]);
    }
    // An ssh user is not a secret: git@ URLs are how Argo CD reads with a deploy key.
    const ssh = cli(tmp(), 'argocd', path.join(EXAMPLES_DIR, 'jhandguy-sample-app.yaml'), '--repo-url', 'git@github.com:example/deploy.git');
    expect(ssh.code).toBe(0);
  });

  test('paths outside the repository and a missing --repo-url are user errors', () => {
    const cwd = tmp();
    const outside = cli(cwd, 'argocd', EXAMPLES_DIR, '--repo-url', REPO, '--out', '../elsewhere');
    expect(outside).toEqual({ code: 1, stdout: '', stderr: expect.stringContaining('--out ../elsewhere: must be a relative path inside the Git repository') });
    expect(cli(cwd, 'argocd', EXAMPLES_DIR).code).toBe(2);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  test('warns when an Application points at a file that is not there yet', () => {
    const cwd = tmp();
    const result = cli(cwd, 'argocd', EXAMPLES_DIR, '--repo-url', REPO, '--path-prefix', 'deploy');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`warning: ${path.join('dist', 'canary-demo.k8s.yaml')} does not exist yet`);
    expect((load(fs.readFileSync(path.join(cwd, 'argocd', ROOT_FILE), 'utf8')) as any).spec.source.path).toBe('deploy/argocd/apps');
  });
});

test('options that are no object name, namespace or URL: exit 1 naming each, nothing written', () => {
  const cwd = tmp();
  const r = cli(cwd, 'argocd', EXAMPLES_DIR, '--repo-url', REPO, '--root-name', '../../etc/passwd', '--argocd-namespace', 'Bad NS!', '--dest-server', 'not a url', '--project', 'A_B', '--revision', 'main\nx', '-o', 'out');
  expect(r.code).toBe(1);
  expect(r.stderr.split('\n').filter((l) => l.startsWith('--'))).toEqual([
    '--root-name: "../../etc/passwd" is not a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters): the API server refuses it as an object name',
    '--project: "A_B" is not a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters): the API server refuses it as an object name',
    '--argocd-namespace: "Bad NS!" is not a namespace name (a DNS-1123 label: lowercase letters, digits and "-", at most 63 characters)',
    '--dest-server: "not a url" contains whitespace or a control character; percent-encode it',
    '--revision: "main\\nx" is not a Git revision (it is empty or has whitespace or control characters)',
  ]);
  expect(fs.existsSync(path.join(cwd, 'out'))).toBe(false);
});
