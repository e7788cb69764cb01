/**
 * Hostile or broken input files: every one is a clear error (exit 1, `<file>: <problem>`), never exit 70,
 * a hang, or text silently changed on the way in.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runCli } from '../support/cli';
import { specErrors, specIssues, specDocument, specYaml } from '../support/specs';
import { tmp } from '../support/tmp';

/** `canarykit validate <inputs>`: its exit code and stderr, which must name no internal error. */
function validate(...inputs: string[]): { code: number; stderr: string } {
  const r = runCli('validate', ...inputs);
  expect(r.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
  return { code: r.code, stderr: r.stderr };
}

describe('input files', () => {
  test('looping and dangling *.yaml symlinks, a folder named d.yaml, a FIFO named *.yaml: each a clear error, no hang', () => {
    const dir = tmp('inputs');
    fs.writeFileSync(path.join(dir, 'good.yaml'), specYaml());
    fs.symlinkSync('loop.yaml', path.join(dir, 'loop.yaml'));
    fs.symlinkSync('nowhere', path.join(dir, 'dangling.yaml'));
    fs.mkdirSync(path.join(dir, 'd.yaml'));
    execFileSync('mkfifo', [path.join(dir, 'fifo.yaml')]);
    const r = validate(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${path.join(dir, 'loop.yaml')}: is a symbolic link that loops`);
    expect(r.stderr).toContain(`${path.join(dir, 'dangling.yaml')}: is a symbolic link to nothing (dangling)`);
    expect(r.stderr).toContain(`${path.join(dir, 'd.yaml')}: is a directory, not a spec file`);
    expect(r.stderr).toContain(`${path.join(dir, 'fifo.yaml')}: is not a regular file (a FIFO, socket or device)`);
    // A FIFO named on the command line is refused the same way, before anything opens it for reading.
    expect(validate(path.join(dir, 'fifo.yaml')).stderr).toContain('is not a regular file');
  });

  test('a byte that is not UTF-8 (Latin-1 é) is an error naming its line, never U+FFFD', () => {
    const dir = tmp('latin1');
    const file = path.join(dir, 'web.yaml');
    fs.writeFileSync(file, Buffer.concat([Buffer.from(specYaml().replace('name: web', 'name: caf')), Buffer.from('# caf\xe9\n', 'latin1')]));
    const r = validate(file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${file}: is not UTF-8 text: byte 0xe9 at offset \\d+ \\(line 7\\); save the file as UTF-8$`, 'm'));
    // Encoded surrogates and overlong forms are not UTF-8 either; a BOM and real non-ASCII text are.
    fs.writeFileSync(file, Buffer.concat([Buffer.from('a: "'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"\n')]));
    expect(validate(file).stderr).toContain('byte 0xed at offset 4 (line 1)');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(specYaml().replace('tag: "1.0.0"}', 'tag: "1.0.0"}\n  podAnnotations: {note: "café ☕ 𝄞"}'))]));
    expect(validate(file).code).toBe(0);
  });

  test('150,000 documents in one file: one error, not a stack overflow', () => {
    const dir = tmp('many');
    const file = path.join(dir, 'many.yaml');
    fs.writeFileSync(file, '---\nkind: CanaryApp\n'.repeat(150_000));
    const r = validate(file);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${file}: yaml: has 150000 documents; a file holds at most 10000 (split it into several files)\n1 error(s); nothing was written\n`);
  });

  test('10,000-deep nesting and a 2000-deep jsonBody: an error naming the depth, not a stack overflow', () => {
    expect(specErrors(`a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`)).toEqual(['web.yaml: yaml: nested too deeply to read (spec documents nest at most 100 levels)']);
    let body: unknown = 1;
    for (let i = 0; i < 2000; i++) body = { a: body };
    const web = { web: { url: 'http://x/', method: 'POST', jsonBody: body, jsonPath: '{$.a}' } };
    const doc = specDocument({ image: { repository: 'x', tag: '1' }, canary: { weights: [50] }, analysisTemplates: [{ name: 't', metrics: [{ name: 'm', successCondition: 'result == 1', provider: web }] }] });
    const [issue] = specIssues(doc);
    expect(issue).toMatch(/^spec\.analysisTemplates\[0\]\.metrics\[0\]\.provider\.web\.jsonBody(\.a)+: nests more than 100 levels deep$/);
    // Through YAML text, 2000 block levels may already exhaust js-yaml's recursion (depending on the stack
    // left): either clear error, one issue.
    const text = specYaml(`  canary: {weights: [50]}\n  x:\n${Array.from({ length: 2000 }, (_, i) => `${'  '.repeat(i + 2)}a:\n`).join('')}`);
    expect(specErrors(text)).toEqual([expect.stringMatching(/^web\.yaml: (web: spec\.x(\.a)+: nests more than 100 levels deep|yaml: nested too deeply to read \(spec documents nest at most 100 levels\))$/)]);
  });

  test('replicas: .inf (and .nan) say so, not "null is not a number"', () => {
    expect(specErrors(specYaml('  canary: {weights: [50]}\n  replicas: .inf\n'))).toEqual(['web.yaml: web: spec.replicas: .inf is not a finite number']);
    expect(specErrors(specYaml('  canary: {weights: [50]}\n  replicas: .nan\n'))).toEqual(['web.yaml: web: spec.replicas: .nan is not a finite number']);
  });

  test('a lone surrogate (a YAML "\\ud800" escape) is refused where it is, since no output could carry it', () => {
    expect(specErrors(specYaml('  canary: {weights: [50]}\n  podAnnotations: {note: "a\\ud800"}\n'))).toEqual(['web.yaml: web: spec.podAnnotations.note: "a\\ud800" has a lone UTF-16 surrogate, which no YAML or UTF-8 file can carry']);
  });
});

test('control characters in names and file names are printed escaped, never raw to the terminal', () => {
  const dir = tmp('ctl');
  const file = path.join(dir, 'w\x1b[2Keb.yaml');
  fs.writeFileSync(file, specYaml().replace('name: web', 'name: "x\\e]0;pwned\\a\\u202e\\u009b"'));
  const r = runCli('validate', file);
  expect(r.code).toBe(1);
  // eslint-disable-next-line no-control-regex
  expect(r.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
  expect(r.stderr).toContain('w\\u001b[2Keb.yaml: x\\u001b]0;pwned\\u0007\\u202e\\u009b: metadata.name: ');
});
