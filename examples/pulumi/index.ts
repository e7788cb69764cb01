/**
 * Deploys every CanaryApp spec in ../ (or the file or directory in the `specs` config) with Pulumi: one
 * namespace per distinct namespace, one canarykit CanaryApp component per app.
 *
 *   npm install && pulumi stack init dev && pulumi up
 */
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import { formatIssue, loadSpecs } from 'canarykit';
import { CanaryApp } from 'canarykit/pulumi';

const config = new pulumi.Config();
// Relative to this directory: Pulumi runs the program from its project directory.
const specs = path.resolve(config.get('specs') ?? '..');

// Every problem in every file at once, before anything is registered.
const { apps, issues } = loadSpecs([specs]);
for (const w of issues.filter((i) => i.severity === 'warning')) void pulumi.log.warn(formatIssue(w, w.source));
const errors = issues.filter((i) => i.severity === 'error');
if (errors.length > 0) throw new Error(errors.map((e) => formatIssue(e, e.source)).join('\n'));

// canarykit does not create namespaces (like `kubectl apply -f dist/`); this program does. The component
// registers after its dependsOn, and its children after it, so the namespace exists first.
const namespaces = new Map<string, k8s.core.v1.Namespace>();
for (const ns of new Set(apps.map((a) => a.document.metadata.namespace ?? 'default'))) {
  if (ns !== 'default') namespaces.set(ns, new k8s.core.v1.Namespace(ns, { metadata: { name: ns } }));
}

export const canaryApps = Object.fromEntries(apps.map(({ document }) => {
  const ns = namespaces.get(document.metadata.namespace ?? 'default');
  const app = new CanaryApp(document.metadata.name, document, { dependsOn: ns ? [ns] : [] });
  return [document.metadata.name, {
    namespace: app.namespace,
    rollout: app.rolloutName,
    stableService: app.stableServiceName,
    canaryService: app.canaryServiceName,
    ingressHost: app.ingressHost,
  }];
}));
