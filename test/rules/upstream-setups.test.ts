/**
 * Setups as users paste them from the Argo Rollouts docs and examples: what the controller accepts is
 * accepted (and synthesizes objects the real schemas accept), and what canarykit spells differently is
 * refused with a message that says what to write instead.
 */
import { validateAll } from '../support/schema';
import { byKind, one } from '../support/examples';
import { synthSpec, specErrors, specYaml } from '../support/specs';
import { loadText } from '../../src/load/load';
import { formatIssue } from '../../src/document/errors';

const warningsOf = (yaml: string) => loadText(yaml, 'web.yaml').issues.filter((i) => i.severity === 'warning').map((i) => formatIssue(i, i.source));

describe('real setups that must start', () => {
  test('pods get a numeric non-root user and group by default (as cdk8s-plus); overridable; runAsNonRoot: false keeps the image\'s user', () => {
    const podOf = (body: string) => one(synthSpec(specYaml(body)), 'Rollout').spec.template.spec;
    const pod = podOf('  canary: {weights: [50]}\n');
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 25000, runAsGroup: 26000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 25000, runAsGroup: 26000 });
    expect(podOf('  security: {runAsUser: 1000}\n  canary: {weights: [50]}\n').securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 26000 });
    const root = podOf('  security: {runAsNonRoot: false}\n  canary: {weights: [50]}\n');
    expect(root.securityContext).toEqual({ runAsNonRoot: false, seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('upstream rollout-secret: a web URL that is entirely a Secret-backed arg', () => {
    const yaml = specYaml(`  canary:
    steps:
      - setWeight: 25
      - analysis: {templates: [analysis-secret]}
  analysisTemplates:
    - name: analysis-secret
      args: [{name: secret-url, valueFrom: {secretKeyRef: {name: example-secret, key: secretUrl}}}]
      metrics:
        - name: webmetric
          successCondition: result == 'It worked!'
          provider: {web: {url: "{{args.secret-url}}", jsonPath: "{$.message}"}}
`);
    expect(specErrors(yaml)).toEqual([]);
    const objects = synthSpec(yaml);
    expect(one(objects, 'AnalysisTemplate').spec.metrics[0].provider.web.url).toBe('{{args.secret-url}}');
    expect(validateAll([...objects])).toEqual([]);
  });

  test('args in a web URL\'s host and port, and in a Prometheus address: the controller substitutes them first', () => {
    const yaml = specYaml(`  canary:
    steps:
      - setWeight: 25
      - analysis: {templates: [t], args: [{name: ns, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}]}
  analysisTemplates:
    - name: t
      args: [{name: ns}, {name: port, value: "8080"}]
      metrics:
        - name: health
          successCondition: result == 'ok'
          provider: {web: {url: "http://web-canary.{{args.ns}}.svc:{{args.port}}/health"}}
        - name: errors
          successCondition: len(result) == 0 || result[0] < 0.01
          provider: {prometheus: {address: "http://prometheus.{{args.ns}}:9090", query: "sum(rate(errors_total[1m]))"}}
`);
    expect(specErrors(yaml)).toEqual([]);
    expect(validateAll([...synthSpec(yaml)])).toEqual([]);
    // What is written around the placeholders is still checked.
    expect(specErrors(yaml.replace('http://web-canary', 'ftp://web-canary'))).toEqual([
      'web.yaml: web: spec.analysisTemplates[0].metrics[0].provider.web.url: "ftp://web-canary.{{args.ns}}.svc:{{args.port}}/health" is not an http:// or https:// URL',
    ]);
  });

  test('no Prometheus address: the controller\'s ARGO_ROLLOUTS_PROMETHEUS_ADDRESS applies; a warning, and no address written', () => {
    const yaml = specYaml(`  replicas: 4
  canary:
    steps:
      - setWeight: 25
      - analysis: {templates: [t]}
  analysisTemplates:
    - name: t
      metrics:
        - name: errors
          successCondition: len(result) == 0 || result[0] < 0.01
          provider: {prometheus: {query: "sum(rate(errors_total[1m]))"}}
`);
    expect(specErrors(yaml)).toEqual([]);
    expect(warningsOf(yaml)).toEqual([
      expect.stringContaining('web.yaml: warning: web: spec.analysisTemplates[0].metrics[0].provider.prometheus.address: is not set (nor spec.prometheus.address): the controller then queries its ARGO_ROLLOUTS_PROMETHEUS_ADDRESS'),
    ]);
    const objects = synthSpec(yaml);
    expect(one(objects, 'AnalysisTemplate').spec.metrics[0].provider.prometheus).toEqual({ query: 'sum(rate(errors_total[1m]))' });
    expect(validateAll([...objects])).toEqual([]);
  });

  test('an Ingress without a host (every host) or with a wildcard host', () => {
    const hostless = synthSpec(specYaml('  ingress: {tlsSecretName: web-tls}\n  trafficRouting: {nginx: {}}\n  canary: {weights: [50]}\n'));
    const ingress = one(hostless, 'Ingress');
    expect(ingress.spec.rules[0].host).toBeUndefined();
    expect(ingress.spec.tls).toEqual([{ secretName: 'web-tls' }]);
    expect(validateAll([...hostless])).toEqual([]);
    const wildcard = synthSpec(specYaml('  ingress: {host: "*.example.com"}\n  trafficRouting: {nginx: {}}\n  canary: {weights: [50]}\n'));
    expect(byKind(wildcard, 'Ingress')[0].spec.rules[0].host).toBe('*.example.com');
    expect(validateAll([...wildcard])).toEqual([]);
    expect(specErrors(specYaml('  ingress: {host: "a.*.example.com"}\n  canary: {weights: [50]}\n'))).toEqual([
      'web.yaml: web: spec.ingress.host: "a.*.example.com" is not a host (a DNS-1123 subdomain, with `*.` before it for a wildcard)',
    ]);
  });
});

describe('upstream spellings get told what to write instead', () => {
  const steps = (analysis: string) => specYaml(`  canary:
    steps:
      - name: start
        setWeight: 25
      - setWeight: 50
    analysis: ${analysis}
  analysisTemplates:
    - name: success-rate
      metrics:
        - name: up
          successCondition: result == 'ok'
          provider: {web: {url: "http://web-canary/health"}}
`);

  test('templateName (and clusterScope), as in a Rollout', () => {
    expect(specErrors(steps('{templates: [{templateName: success-rate}]}'))).toEqual([
      'web.yaml: web: spec.canary.analysis.templates[0].templateName: is the Argo Rollouts spelling; canarykit calls it name: write name: <template> (or just the template\'s name: templates: [<template>])',
    ]);
    expect(specErrors(steps('{templates: [{templateName: success-rate, clusterScope: true}]}'))).toEqual([
      'web.yaml: web: spec.canary.analysis.templates[0].templateName: is the Argo Rollouts spelling; canarykit calls it name: write name: <template> (or just the template\'s name: templates: [<template>])',
      'web.yaml: web: spec.canary.analysis.templates[0].clusterScope: is the Argo Rollouts spelling; canarykit calls it cluster: write cluster: true',
    ]);
  });

  test('startingStep as an index', () => {
    expect(specErrors(steps('{templates: [success-rate], startingStep: 2}'))).toEqual([
      'web.yaml: web: spec.canary.analysis.startingStep: 2 is a step index; here the step is named: give that step a `name` and write startingStep: <name> (canarykit computes the index, so inserting a step never shifts it)',
    ]);
  });

  test('a prefixed key among the NGINX annotations the controller prefixes itself', () => {
    expect(specErrors(specYaml(`  ingress: {host: web.example.com}
  trafficRouting: {nginx: {additionalIngressAnnotations: {nginx.ingress.kubernetes.io/canary-by-header: X-Canary}}}
  canary: {weights: [50]}
`))).toEqual([
      'web.yaml: web: spec.trafficRouting.nginx.additionalIngressAnnotations["nginx.ingress.kubernetes.io/canary-by-header"]: has a prefix, which the controller adds itself (trafficRouting.nginx.annotationPrefix, default nginx.ingress.kubernetes.io): write "canary-by-header"',
    ]);
  });
});
