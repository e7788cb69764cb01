'use strict';
/**
 * Baseline: plain cdk8s with cdk8s-plus-27, one chart per app with a Deployment, a Service and a Rollout
 * (as an ApiObject), synthesized by cdk8s' own YAML writer. Comparable objects, no validation.
 */
const { App, Chart, ApiObject } = require('cdk8s');
const kplus = require('cdk8s-plus-27');
const [, , n, outDir] = process.argv;
const app = new App({ outdir: outDir });
for (let i = 0; i < Number(n); i++) {
  const chart = new Chart(app, `app-${i}`, { namespace: 'fleet', disableResourceNameHashes: true });
  const deployment = new kplus.Deployment(chart, 'deployment', {
    replicas: 0,
    containers: [{ image: `example/app:1.${i}`, portNumber: 8080, securityContext: { ensureNonRoot: true, readOnlyRootFilesystem: true } }],
  });
  deployment.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
  new ApiObject(chart, 'rollout', {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: `app-${i}` },
    spec: {
      replicas: 2,
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.name },
      strategy: { canary: { steps: [{ setWeight: 20 }, { pause: { duration: '1m' } }, { setWeight: 50 }, { pause: {} }] } },
    },
  });
}
app.synth();
