/** The controller-side set-up for the apps' routers: valid objects, only when needed, clear errors. */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { controllerSetupFiles, controllerSetupProblems } from '../../src/targets/controller-setup';
import { EXAMPLES_DIR, exampleApps } from '../support/examples';
import { validateAll } from '../support/schema';
import { runCli } from '../support/cli';
import { tmp } from '../support/tmp';

const SHA = 'a'.repeat(64);
const models = () => exampleApps().map((a) => a.model);

test('with a Gateway API app: the plugin entry of argo-rollouts-config and its RBAC, valid Kubernetes objects', () => {
  const files = controllerSetupFiles(models(), { pluginUrl: 'https://example.com/gatewayapi-plugin', pluginSha256: SHA });
  expect([...files.keys()]).toEqual(['argo-rollouts-config.yaml', 'gateway-api-plugin-rbac.yaml']);
  const objects = [...files.values()].flatMap((text) => parseAllDocuments(text).map((d) => d.toJS()));
  expect(validateAll(objects)).toEqual([]);
  const config = objects.find((o) => o.kind === 'ConfigMap');
  expect(config.metadata).toEqual({ name: 'argo-rollouts-config', namespace: 'argo-rollouts' });
  // The entry is YAML inside the ConfigMap, written by the emitter, exactly what the controller parses.
  expect(parseAllDocuments(config.data.trafficRouterPlugins)[0].toJS()).toEqual([
    { name: 'argoproj-labs/gatewayAPI', location: 'https://example.com/gatewayapi-plugin', sha256: SHA },
  ]);
  const binding = objects.find((o) => o.kind === 'ClusterRoleBinding');
  expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'argo-rollouts', namespace: 'argo-rollouts' }]);
});

test('without a Gateway API app nothing is needed; bad plugin options are errors, all at once', () => {
  expect(controllerSetupFiles(models().filter((m) => m.routing.kind !== 'gatewayAPI'), { pluginUrl: 'file:///plugin' }).size).toBe(0);
  expect(controllerSetupProblems({ pluginUrl: 'http://user:pw@example.com/p', pluginSha256: 'abc' })).toEqual([
    '--plugin-url "http://user:pw@example.com/p": the controller downloads plugins over https:// (or loads file:// from its node)',
    '--plugin-url must not carry credentials',
    '--plugin-sha256 "abc" is not a sha256 (64 lower-case hex digits)',
  ]);
  expect(controllerSetupProblems({ pluginUrl: 'https://example.com/p' })).toEqual([
    '--plugin-sha256 is required with an https:// URL: the controller runs what it downloads (sha256sum the release asset)',
  ]);
});

test('canarykit controller-setup writes the files, or says what is wrong and writes nothing', () => {
  const out = path.join(tmp(), 'controller');
  const examples = EXAMPLES_DIR;
  const refused = runCli('controller-setup', examples, '--out', out);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('--plugin-sha256 is required');
  expect(fs.existsSync(out)).toBe(false);
  const ok = runCli('controller-setup', examples, '--out', out, '--plugin-sha256', SHA);
  expect(ok.code).toBe(0);
  expect(fs.readdirSync(out).filter((f) => !f.startsWith('.')).sort()).toEqual(['argo-rollouts-config.yaml', 'gateway-api-plugin-rbac.yaml']);
});

test('canarykit controller-setup without a Gateway API app: no option is checked and nothing is written', () => {
  const out = path.join(tmp(), 'controller');
  const nginxOnly = path.join(EXAMPLES_DIR, 'jhandguy-sample-app.yaml');
  const result = runCli('controller-setup', nginxOnly, '--out', out);
  expect(result.code).toBe(0);
  expect(result.stderr).toContain('the controller needs no set-up');
  expect(fs.existsSync(out)).toBe(false);
});
