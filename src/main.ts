/**
 * Entry point for `npx cdk8s synth` (see cdk8s.yaml): the example specs as a plain cdk8s app, for users
 * who drive canarykit from cdk8s. It writes with cdk8s' own serializer into cdk8s.out/; `canarykit synth`
 * is the deterministic, validated path that writes dist/.
 */
import { App, Chart } from 'cdk8s';
import * as path from 'path';
import { loadSpecs } from './load/load';
import { formatIssue } from './document/errors';
import { CanaryApp } from './constructs/canary-app';

const { apps, issues } = loadSpecs([process.env.CANARYKIT_SPECS ?? path.join(__dirname, '../../examples')]);
const errors = issues.filter((i) => i.severity === 'error');
if (errors.length > 0) {
  process.stderr.write(`${errors.map((e) => formatIssue(e, e.source)).join('\n')}\n`);
  process.exit(1);
}
const app = new App();
for (const { document } of apps) {
  const chart = new Chart(app, document.metadata.name, { namespace: document.metadata.namespace, disableResourceNameHashes: true });
  new CanaryApp(chart, document.metadata.name, { spec: document.spec, metadata: document.metadata });
}
app.synth();
