/** `canarykit chart`: exit 0 writing charts, exit 1 on a chart version helm would reject. */
import * as fs from 'fs';
import * as path from 'path';
import { runCli } from '../support/cli';
import { EXAMPLES_DIR } from '../support/examples';
import { tmp } from '../support/tmp';

test('canarykit chart: exit 0 writing charts, exit 1 on a version helm would reject', () => {
  const out = path.join(tmp(), 'cli');
  expect(runCli('chart', path.join(EXAMPLES_DIR, 'jhandguy-sample-app.yaml'), '--out', out, '--chart-version', '1.2.3').code).toBe(0);
  expect(fs.readFileSync(path.join(out, 'sample-app', 'Chart.yaml'), 'utf8')).toMatch(/^version: "?1\.2\.3"?$/m);
  const rejected = runCli('chart', EXAMPLES_DIR, '--out', out, '--chart-version', 'v1');
  expect(rejected.code).toBe(1);
  expect(rejected.stderr).toMatch(/--chart-version "v1" is not a SemVer version/);
});
