/** `canarykit test-analysis`: every example metric gets the verdict its cases expect, under the real promtool. */
import * as fs from 'fs';
import * as path from 'path';
import { runCli } from '../support/cli';
import { specYaml } from '../support/specs';
import { tmp } from '../support/tmp';
import { EXAMPLES_DIR } from '../support/examples';

test('canarykit test-analysis passes on the examples', () => {
  const { code, stdout, stderr } = runCli('test-analysis', EXAMPLES_DIR);
  expect(stdout + stderr).toMatch(/sample-app: ok +success-share\/success-share: no canary traffic: expected Inconclusive, result \[\] -> Inconclusive/);
  expect(code).toBe(0);
});

test("an AnalysisLibrary's Prometheus metrics are tested once, under the library's name, as an app's are", () => {
  const { code, stdout } = runCli('test-analysis', path.join(EXAMPLES_DIR, 'platform-analysis.yaml'));
  expect(code).toBe(0);
  const lines = stdout.trim().split('\n');
  expect(lines.length).toBe(8);
  expect(lines.every((l) => l.startsWith('platform-analysis: ok   errors-vs-stable/errors-vs-stable: '))).toBe(true);
  expect(stdout).toMatch(/canary worse than stable beyond tolerance: expected Failed, result \[0\.27\d*\] -> Failed/);
  expect(stdout).toContain('stable without traffic: expected Inconclusive, result [] -> Inconclusive');
});

test('nothing to test is exit 1, not "0 analysis case(s) passed"', () => {
  const dir = tmp('no-prometheus');
  fs.writeFileSync(path.join(dir, 'web.yaml'), specYaml());
  const r = runCli('test-analysis', dir);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe(`no analysis cases: no app or library in ${dir} has a Prometheus metric (prometheus, successRate or latency) to test\n`);
});
