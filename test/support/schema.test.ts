/**
 * Proves that test/support/schema.ts accepts valid manifests and, more
 * importantly, that it *can fail*: wrong types, unknown fields and unknown
 * kinds all produce meaningful messages.
 */
import { loadCrdSchema, validateAll, validateManifest } from './schema';

const labels = { app: 'sample-app' };

function rollout(steps: any[]): any {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'sample-app', namespace: 'demo', labels },
    spec: {
      replicas: 3,
      revisionHistoryLimit: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'ghcr.io/example/sample-app:1.2.3',
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
            },
          ],
        },
      },
      strategy: {
        canary: {
          canaryService: 'sample-app-canary',
          stableService: 'sample-app-stable',
          trafficRouting: { nginx: { stableIngress: 'sample-app' } },
          steps,
        },
      },
    },
  };
}

const validSteps = [
  { setWeight: 20 },
  { pause: { duration: '1m' } },
  { analysis: { templates: [{ templateName: 'success-rate' }], args: [{ name: 'service-name', value: 'sample-app-canary' }] } },
  { setWeight: 50 },
  { pause: { duration: 30 } },
  { pause: {} },
];

const service = (name: string): any => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, labels },
  spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
});

const ingress: any = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'sample-app', annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' } },
  spec: {
    ingressClassName: 'nginx',
    rules: [
      {
        host: 'sample-app.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'sample-app-stable', port: { number: 80 } } } },
          ],
        },
      },
    ],
  },
};

const serviceMonitor = (endpoint: any): any => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name: 'sample-app', labels: { release: 'prometheus' } },
  spec: { selector: { matchLabels: labels }, endpoints: [endpoint] },
});

const analysisTemplate: any = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisTemplate',
  metadata: { name: 'success-rate' },
  spec: {
    args: [{ name: 'service-name' }],
    metrics: [
      {
        name: 'success-rate',
        interval: '1m',
        count: 5,
        failureLimit: 1,
        successCondition: 'result[0] >= 0.95',
        provider: {
          prometheus: {
            address: 'http://prometheus.monitoring:9090',
            query: 'sum(rate(http_requests_total{service="{{args.service-name}}",code!~"5.."}[1m])) / sum(rate(http_requests_total{service="{{args.service-name}}"}[1m]))',
          },
        },
      },
    ],
  },
};

describe('validateManifest accepts valid manifests', () => {
  const valid: Record<string, any> = {
    Rollout: rollout(validSteps),
    Service: service('sample-app-stable'),
    Ingress: ingress,
    ServiceMonitor: serviceMonitor({ port: 'http', path: '/metrics', interval: '30s' }),
    AnalysisTemplate: analysisTemplate,
    ClusterAnalysisTemplate: { ...analysisTemplate, kind: 'ClusterAnalysisTemplate' },
    PodMonitor: {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'sample-app' },
      spec: { selector: { matchLabels: labels }, podMetricsEndpoints: [{ port: 'http' }] },
    },
    Application: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'sample-app', namespace: 'argocd' },
      spec: {
        project: 'default',
        source: { repoURL: 'https://example.com/repo.git', path: 'dist/sample-app', targetRevision: 'HEAD' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'demo' },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    },
    ServiceAccount: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sample-app' } },
    Secret: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: { token: 'c2VjcmV0' }, stringData: { a: 'b' } },
    ConfigMap: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'app.yaml': 'x: 1' } },
    Job: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'smoke' },
      spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'curl', image: 'curlimages/curl:8.10.1', args: ['-fsS', 'http://sample-app'] }] } } },
    },
    Deployment: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
        template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'nginx', resources: { limits: { cpu: 0.5 } } }] } },
      },
    },
  };

  it.each(Object.entries(valid))('%s', (_kind, obj) => {
    expect(validateManifest(obj)).toEqual([]);
  });

  it('validateAll of valid objects is empty', () => {
    expect(validateAll(Object.values(valid))).toEqual([]);
  });
});

describe('validateManifest rejects invalid manifests', () => {
  it('Rollout with setWeight "abc"', () => {
    const errors = validateManifest(rollout([{ setWeight: 'abc' }]));
    expect(errors).toContain('Rollout/sample-app: /spec/strategy/canary/steps/0/setWeight must be integer');
  });

  it('Rollout pause.duration is int-or-string: rejects a boolean and a fraction', () => {
    expect(validateManifest(rollout([{ pause: { duration: true } }]))).toContain(
      'Rollout/sample-app: /spec/strategy/canary/steps/0/pause/duration must be integer or string',
    );
    expect(validateManifest(rollout([{ pause: { duration: 1.5 } }]))).toContain(
      'Rollout/sample-app: /spec/strategy/canary/steps/0/pause/duration must be integer or string',
    );
  });

  it('Rollout with a misspelled step and out-of-range int32', () => {
    const errors = validateManifest(rollout([{ setWieght: 10 }, { setWeight: 2 ** 40 }]));
    expect(errors).toContain('Rollout/sample-app: /spec/strategy/canary/steps/0 has unknown field "setWieght"');
    expect(errors).toContain('Rollout/sample-app: /spec/strategy/canary/steps/1/setWeight must be <= 2147483647');
  });

  it('Rollout with an unknown metadata field (ObjectMeta is checked too)', () => {
    const r = rollout(validSteps);
    r.metadata.labelz = { a: 'b' };
    expect(validateManifest(r)).toEqual(['Rollout/sample-app: /metadata has unknown field "labelz"']);
  });

  it('Service with an unknown field', () => {
    const s = service('web');
    s.spec.fooBar = 1;
    expect(validateManifest(s)).toEqual(['Service/web: /spec has unknown field "fooBar"']);
  });

  it('Service port without the required port number, with a bad targetPort type', () => {
    const s = service('web');
    s.spec.ports = [{ name: 'http', targetPort: { port: 8080 } }];
    const errors = validateManifest(s);
    expect(errors).toContain('Service/web: /spec/ports/0 must have required field "port"');
    expect(errors).toContain('Service/web: /spec/ports/0/targetPort must be integer or string');
  });

  it('ServiceMonitor with a misspelled field', () => {
    const errors = validateManifest(serviceMonitor({ port: 'http', intervall: '30s' }));
    expect(errors).toEqual(['ServiceMonitor/sample-app: /spec/endpoints/0 has unknown field "intervall"']);
  });

  it('ServiceMonitor with a bad enum value', () => {
    const errors = validateManifest(serviceMonitor({ port: 'http', scheme: 'ftp' }));
    expect(errors.join('\n')).toMatch(/\/spec\/endpoints\/0\/scheme must be one of: .*"https"/);
  });

  it('AnalysisTemplate metric without a name', () => {
    const t = JSON.parse(JSON.stringify(analysisTemplate));
    delete t.spec.metrics[0].name;
    expect(validateManifest(t)).toContain('AnalysisTemplate/success-rate: /spec/metrics/0 must have required field "name"');
  });

  it('Secret data that is not base64', () => {
    const errors = validateManifest({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { token: 'not base64!' } });
    expect(errors).toEqual(['Secret/s: /data/token must be base64-encoded (format "byte")']);
  });

  it('a date-time field that is not RFC 3339', () => {
    const a = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'a', creationTimestamp: 'yesterday' },
      spec: { project: 'default', destination: { namespace: 'demo' } },
    };
    expect(validateManifest(a)).toEqual(['Application/a: /metadata/creationTimestamp must be an RFC 3339 date-time']);
  });

  it('a manifest without metadata.name', () => {
    expect(validateManifest({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} })).toEqual([
      'ConfigMap/<no name>: /metadata must have required field "name"',
    ]);
  });

  it('unknown kinds and apiVersions are errors, not silently valid', () => {
    expect(validateManifest({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rolout', metadata: { name: 'x' } })).toEqual([
      'Rolout/x: unknown kind "Rolout" in API group argoproj.io (no CRD in .tools/crds)',
    ]);
    expect(validateManifest({ apiVersion: 'argoproj.io/v1', kind: 'Rollout', metadata: { name: 'x' } })[0]).toMatch(
      /^Rollout\/x: Rollout.argoproj.io has no version "v1"/,
    );
    expect(validateManifest({ apiVersion: 'apps/v1', kind: 'Deploymnt', metadata: { name: 'x' } })).toEqual([
      'Deploymnt/x: unknown kind "Deploymnt" for apiVersion apps/v1',
    ]);
    expect(validateManifest({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } })[0]).toMatch(
      /^Widget\/x: unknown apiVersion "example.com\/v1"/,
    );
    expect(validateManifest({ kind: 'Service', metadata: { name: 'x' } })).toEqual([
      'Service/x: apiVersion and kind must be strings',
    ]);
  });

  it('validateAll collects errors from every object', () => {
    const bad = service('web');
    bad.spec.fooBar = 1;
    const errors = validateAll([service('ok'), bad, { apiVersion: 'v1', kind: 'Nope', metadata: { name: 'n' } }]);
    expect(errors).toEqual(['Service/web: /spec has unknown field "fooBar"', 'Nope/n: unknown kind "Nope" for apiVersion v1']);
  });
});

describe('loadCrdSchema', () => {
  it('returns the served openAPIV3Schema', () => {
    const s = loadCrdSchema('argoproj.io', 'Rollout');
    expect(s.properties.spec.properties.strategy.properties.canary).toBeDefined();
    expect(() => loadCrdSchema('argoproj.io', 'Nope')).toThrow(/no CRD for Nope.argoproj.io/);
  });
});

describe('missing .tools', () => {
  it('tells the user to run scripts/tools.sh', () => {
    const prev = process.env.CANARYKIT_TOOLS_DIR;
    process.env.CANARYKIT_TOOLS_DIR = '/nonexistent/.tools';
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const fresh = require('./schema') as typeof import('./schema');
        expect(() => fresh.validateManifest(service('x'))).toThrow(/run `scripts\/tools.sh crds`/);
      });
    } finally {
      if (prev === undefined) delete process.env.CANARYKIT_TOOLS_DIR;
      else process.env.CANARYKIT_TOOLS_DIR = prev;
    }
  });
});
