/**
 * What each example must be, whatever its exact bytes: valid, consistent, secure by default, and the seed
 * setups reproduced. The bytes themselves have one golden copy, the committed dist/, which
 * test/cli/main.test.ts compares with what `canarykit synth examples` writes.
 */
import { validateAll } from '../support/schema';
import { crossReferenceProblems } from '../support/cross-refs';
import { byKind, exampleApps, one } from '../support/examples';
import { checkPromQL } from '../../src/analysis/promql';

const apps = exampleApps();
const app = (name: string) => {
  const found = apps.find((a) => a.name === name);
  if (!found) throw new Error(`no example app ${name}`);
  return found.objects;
};

describe.each(apps.map((a) => [a.name, a] as const))('example %s', (_name, synthesized) => {
  const objects = synthesized.objects;
  const rollout = one(objects, 'Rollout');
  // A workloadRef Rollout has no pod template: its pods are its Deployment's (test/constructs/production.test.ts).
  const pod = rollout.spec.workloadRef ? undefined : rollout.spec.template.spec;

  test('every object validates against its real schema (CRD openAPIV3Schema / Kubernetes OpenAPI)', () => {
    expect(validateAll([...objects])).toEqual([]);
  });

  test('cross-references resolve: templates, Services, Ingress, selectors, args', () => {
    expect(crossReferenceProblems(objects)).toEqual([]);
  });

  test('names are the spec names, in one namespace, without hash suffixes', () => {
    for (const o of objects) {
      if (o.kind !== 'ClusterAnalysisTemplate') expect(o.metadata.namespace).toBe(synthesized.namespace);
      expect(o.metadata.name === synthesized.name || o.metadata.name.startsWith(`${synthesized.name}-`) || o.kind === 'Service').toBe(true);
      expect(o.metadata.name).not.toMatch(/-[0-9a-f]{8}$/);
    }
    expect(rollout.metadata.name).toBe(synthesized.name);
  });

  test('pods are secure by default: non-root, read-only, no capabilities, seccomp, no token, resources, probe', () => {
    if (!pod) return expect(rollout.spec.template).toBeUndefined();
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    // The app container is probed; init containers and sidecars get the same security context and resources.
    expect(pod.containers[0].readinessProbe).toBeDefined();
    for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
      expect(c.securityContext).toMatchObject({
        runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] },
      });
      expect(c.resources.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
      expect(c.resources.limits).toEqual(expect.objectContaining({ memory: expect.any(String) }));
      expect(c.image).not.toMatch(/:latest$/);
      expect(c.image).toMatch(/:[A-Za-z0-9_.-]+$|@sha256:/);
    }
  });

  // The kubelet starts a runAsNonRoot container only when it can verify a non-root user: a number. The
  // examples' images (argoproj/rollouts-demo and codefresh's sample app: FROM scratch, jhandguy's sample
  // app: FROM alpine, none with USER) run as root, so without runAsUser none of them would start
  // ("container has runAsNonRoot and image will run as root"); the Job images' users are root
  // (nicolaka/netshoot) or a name (curlimages/curl: USER curl_user). kwok does not check this.
  test('every pod (the app\'s and each analysis Job\'s) can start under runAsNonRoot: a numeric non-root user', () => {
    const jobPods = [...byKind(objects, 'AnalysisTemplate'), ...byKind(objects, 'ClusterAnalysisTemplate')]
      .flatMap((t) => t.spec.metrics.flatMap((m: any) => (m.provider.job ? [m.provider.job.spec.template.spec] : [])));
    // A workloadRef Rollout has no pod template: its Deployment's pods are the Deployment's business.
    const pods = pod ? [pod, ...jobPods] : jobPods;
    for (const p of pods) {
      for (const ctx of [p.securityContext, ...[...p.containers, ...(p.initContainers ?? [])].map((c: any) => c.securityContext)]) {
        expect(ctx.runAsNonRoot).toBe(true);
        expect(ctx.runAsUser).toEqual(expect.any(Number));
        expect(ctx.runAsUser).toBeGreaterThan(0);
      }
    }
    if (pod) expect(pod.securityContext).toMatchObject({ runAsUser: 25000, runAsGroup: 26000 });
  });

  test('Services are ClusterIP with named target ports (numbers for a Deployment\'s pods); stable and canary carry no pod-template hash', () => {
    for (const svc of byKind(objects, 'Service')) {
      expect(svc.spec.type).toBe('ClusterIP');
      for (const p of svc.spec.ports) expect(typeof p.targetPort).toBe(pod ? 'string' : 'number');
      expect(svc.spec.selector['rollouts-pod-template-hash']).toBeUndefined();
    }
  });

  test('a ServiceMonitor scrapes each pod once: it selects exactly one Service exposing metrics', () => {
    for (const sm of byKind(objects, 'ServiceMonitor')) {
      const selected = byKind(objects, 'Service').filter((s) =>
        Object.entries(sm.spec.selector.matchLabels).every(([k, v]) => s.metadata.labels[k] === v));
      expect(selected).toHaveLength(1);
      expect(selected[0].spec.ports.map((p: any) => p.name)).toContain(sm.spec.endpoints[0].port);
      expect(sm.spec.namespaceSelector.matchNames).toEqual([synthesized.namespace]);
      expect(sm.spec.endpoints[0].interval).toMatch(/^[0-9]+[smh]$/);
    }
  });

  test('no credential is inlined in any object', () => {
    const text = JSON.stringify(objects);
    expect(text).not.toMatch(/"(token|password|api[-_]?key)"\s*:\s*"[^{]/i);
    for (const o of objects) expect(o.kind).not.toBe('Secret');
  });
});

describe('seed setups are reproduced', () => {
  test('jhandguy sample-app: 25 / manual / 50 / 5m / 75 / 5m, background analysis from the 50% step, NGINX by header', () => {
    const objects = app('sample-app');
    const canary = one(objects, 'Rollout').spec.strategy.canary;
    expect(canary.steps.filter((s: any) => s.setWeight !== undefined || s.pause !== undefined)).toEqual([
      { setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: '5m' } }, { setWeight: 75 }, { pause: { duration: '5m' } },
    ]);
    expect(canary.steps[canary.analysis.startingStep]).toEqual({ setWeight: 50 });
    expect(canary.trafficRouting.nginx).toEqual({ stableIngress: 'sample-app', additionalIngressAnnotations: { 'canary-by-header': 'X-Canary' } });
    const ingress = one(objects, 'Ingress');
    expect(ingress.spec.ingressClassName).toBe('nginx');
    // Only the sync wave: the controller copies nothing else from the stable Ingress into the canary one.
    expect(ingress.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-1' });
    expect(one(objects, 'ServiceMonitor').metadata.labels.release).toBe('prometheus');
    expect(canary.canaryMetadata.labels.deployment).toBe('canary');
  });

  test('pixie: web metric with jsonPath on the canary pod hash', () => {
    const objects = app('px-canary-demo');
    const metric = one(objects, 'AnalysisTemplate').spec.metrics[0];
    expect(metric.provider.web).toMatchObject({ jsonPath: '{$.error_rate}', timeoutSeconds: 20 });
    expect(metric.provider.web.url).toContain('{{args.canary-pod-hash}}');
    const args = one(objects, 'Rollout').spec.strategy.canary.analysis.args;
    expect(args).toContainEqual({ name: 'canary-pod-hash', valueFrom: { podTemplateHashValue: 'Latest' } });
  });

  test('codefresh: active / preview / all-traffic Services and success rate >= 0.95', () => {
    const objects = app('golang-sample-app');
    expect(byKind(objects, 'Service').map((s) => s.metadata.name).sort()).toEqual(['rollout-canary-active', 'rollout-canary-all-traffic', 'rollout-canary-preview']);
    const canary = one(objects, 'Rollout').spec.strategy.canary;
    expect(canary.stableService).toBe('rollout-canary-active');
    expect(canary.canaryService).toBe('rollout-canary-preview');
    expect(canary.steps).toContainEqual({ setCanaryScale: { weight: 25 } });
    expect(canary.steps[canary.analysis.startingStep]).toEqual({ setWeight: 10 });
    expect(one(objects, 'AnalysisTemplate').spec.metrics[0].successCondition).toContain('>= 0.95');
  });

  test('pree-dew: 20/40/60/80 each bracketed by start/stop events, a parsable rate() success share, token from a Secret', () => {
    const objects = app('pree-dew-app');
    const steps = one(objects, 'Rollout').spec.strategy.canary.steps;
    const event = (s: any) => s.analysis?.templates[0].templateName === 'pree-dew-app-domain-event'
      ? Object.fromEntries(s.analysis.args.map((a: any) => [a.name, a.value])) : undefined;
    const stages = [20, 40, 60, 80].flatMap((w) => [
      { setWeight: w }, { 'event-name': `pree-dew-app-${w}`, 'event-state': 'start' }, { pause: { duration: '2m' } }, { 'event-name': `pree-dew-app-${w}`, 'event-state': 'stop' },
    ]);
    expect(steps.map((s: any) => event(s) ?? s)).toEqual(stages);
    const templates = byKind(objects, 'AnalysisTemplate');
    expect(templates.map((t) => t.metadata.name).sort()).toEqual(['pree-dew-app-domain-event', 'pree-dew-app-success-share']);
    const share = templates.find((t) => t.metadata.name === 'pree-dew-app-success-share')!.spec.metrics[0];
    // The seed summed a range vector; the share is now a ratio of rates, and it parses.
    expect(share.provider.prometheus.query).toMatch(/^sum\(rate\(sample_app_requests_count\{.*success="true"\}\[1m\]\)\)\n\/\nsum\(rate\(/);
    expect(checkPromQL(share.provider.prometheus.query).problems).toEqual([]);
    const job = templates.find((t) => t.metadata.name === 'pree-dew-app-domain-event')!.spec.metrics[0].provider.job.spec.template.spec.containers[0];
    expect(job.env.find((e: any) => e.name === 'EVENT_TOKEN')).toEqual({ name: 'EVENT_TOKEN', valueFrom: { secretKeyRef: expect.any(Object) } });
  });

  test('rollouts-demo: replica-weighted canary gated by a Job metric', () => {
    const objects = app('canary-demo');
    const canary = one(objects, 'Rollout').spec.strategy.canary;
    expect(canary.trafficRouting).toBeUndefined();
    expect(canary.steps[1].analysis.templates).toEqual([{ templateName: 'canary-demo-smoke-test' }]);
    const job = one(objects, 'AnalysisTemplate').spec.metrics[0].provider.job.spec;
    expect(job.template.spec.restartPolicy).toBe('Never');
    expect(job.template.metadata.labels['app.kubernetes.io/name']).toBeUndefined();
    expect(job).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: expect.any(Number), ttlSecondsAfterFinished: expect.any(Number) });
  });

  test('blue-green checkout: preview behind its own Service and host, promotion gated by the preview pods\' success share', () => {
    const objects = app('checkout');
    const bg = one(objects, 'Rollout').spec.strategy.blueGreen;
    expect(one(objects, 'Rollout').spec.strategy.canary).toBeUndefined();
    expect(bg).toMatchObject({ activeService: 'checkout-active', previewService: 'checkout-preview', previewReplicaCount: 1, scaleDownDelaySeconds: 60 });
    const roles = byKind(objects, 'Service').map((svc) => [svc.metadata.labels['canarykit.dev/service'], svc.metadata.name]);
    expect(roles).toEqual([['active', 'checkout-active'], ['preview', 'checkout-preview'], ['root', 'checkout']]);
    // Live traffic only through the active Service (root would also reach the preview pods).
    expect(one(objects, 'Ingress').spec.rules.map((r: any) => [r.host, r.http.paths[0].backend.service.name])).toEqual([
      ['checkout.example.com', 'checkout-active'], ['preview.checkout.example.com', 'checkout-preview'],
    ]);
    // Both analyses measure the pods of the new ReplicaSet, by hash, and must end before promotion goes on.
    for (const analysis of [bg.prePromotionAnalysis, bg.postPromotionAnalysis]) {
      expect(analysis).toEqual({ templates: [{ templateName: 'checkout-success-share' }], args: [{ name: 'version-hash', valueFrom: { podTemplateHashValue: 'Latest' } }] });
    }
    const metric = one(objects, 'AnalysisTemplate').spec.metrics[0];
    expect(metric).toMatchObject({ count: 4, interval: '30s' });
    expect(metric.provider.prometheus.query).toContain('rollouts_pod_template_hash="{{args.version-hash}}"');
    expect(bg.previewMetadata.labels).toEqual({ 'canarykit.dev/track': 'preview' });
    expect(bg.activeMetadata.labels).toEqual({ 'canarykit.dev/track': 'active' });
  });
});
