/** `canarykit test-analysis`: every example metric gets the verdict its cases expect, under the real promtool. */
import { runCli } from '../support/cli';
import { EXAMPLES_DIR } from '../support/examples';

test('canarykit test-analysis passes on the examples', () => {
  const { code, stdout, stderr } = runCli('test-analysis', EXAMPLES_DIR);
  expect(stdout + stderr).toMatch(/sample-app: ok +success-share\/success-share: no canary traffic: expected Inconclusive, result \[\] -> Inconclusive/);
  expect(code).toBe(0);
});
