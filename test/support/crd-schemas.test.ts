/**
 * The traffic-router CRDs (Gateway API v1.6 standard channel, Istio networking)
 * are wired into test/support/schema.ts: minimal hand-written HTTPRoute,
 * GRPCRoute, ReferenceGrant, VirtualService and DestinationRule objects
 * validate against the pinned upstream openAPIV3Schemas, and broken ones are
 * rejected with pointed messages. This proves the machinery before any router
 * construct emits these kinds. Needs `scripts/tools.sh crds`.
 */
import { loadCrdSchema, validateManifest } from './schema';

const meta = (name: string) => ({ name, namespace: 'demo' });

const httpRoute = (backendRefs: any[], extra: Record<string, unknown> = {}): any => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: meta('web'),
  spec: {
    parentRefs: [{ name: 'shared-gateway', namespace: 'infra', sectionName: 'https' }],
    hostnames: ['web.example.com'],
    rules: [
      {
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs,
        ...extra,
      },
    ],
  },
});

const weighted = (stable: number, canary: number) => [
  { name: 'web-stable', port: 80, weight: stable },
  { name: 'web-canary', port: 80, weight: canary },
];

const grpcRoute = (): any => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'GRPCRoute',
  metadata: meta('api'),
  spec: {
    parentRefs: [{ name: 'shared-gateway', namespace: 'infra' }],
    rules: [
      {
        matches: [{ method: { service: 'example.v1.Greeter', method: 'SayHello' } }],
        backendRefs: [
          { name: 'api-stable', port: 9090, weight: 100 },
          { name: 'api-canary', port: 9090, weight: 0 },
        ],
      },
    ],
  },
});

const referenceGrant = (): any => ({
  apiVersion: 'gateway.networking.k8s.io/v1beta1',
  kind: 'ReferenceGrant',
  metadata: meta('allow-infra-routes'),
  spec: {
    from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'infra' }],
    to: [{ group: '', kind: 'Service' }],
  },
});

const virtualService = (route: any[]): any => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: meta('web'),
  spec: {
    hosts: ['web.demo.svc.cluster.local'],
    gateways: ['mesh'],
    http: [{ name: 'primary', route }],
  },
});

const subsetRoute = (stable: number, canary: number) => [
  { destination: { host: 'web', subset: 'stable', port: { number: 80 } }, weight: stable },
  { destination: { host: 'web', subset: 'canary', port: { number: 80 } }, weight: canary },
];

const destinationRule = (spec: any): any => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: meta('web'),
  spec,
});

const drSpec = {
  host: 'web',
  trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } },
  subsets: [
    { name: 'stable', labels: { app: 'web' } },
    { name: 'canary', labels: { app: 'web' } },
  ],
};

describe('Gateway API CRD schemas (gateway.networking.k8s.io, v1.6 standard channel)', () => {
  it('accepts minimal valid HTTPRoute, GRPCRoute and ReferenceGrant objects', () => {
    expect(validateManifest(httpRoute(weighted(100, 0)))).toEqual([]);
    expect(validateManifest(httpRoute(weighted(80, 20)))).toEqual([]);
    expect(validateManifest(grpcRoute())).toEqual([]);
    expect(validateManifest(referenceGrant())).toEqual([]);
  });

  it('also knows the older served HTTPRoute version (v1beta1)', () => {
    expect(validateManifest({ ...httpRoute(weighted(100, 0)), apiVersion: 'gateway.networking.k8s.io/v1beta1' })).toEqual([]);
  });

  it('rejects a negative backendRef weight', () => {
    expect(validateManifest(httpRoute(weighted(100, -1)))).toEqual([
      'HTTPRoute/web: /spec/rules/0/backendRefs/1/weight must be >= 0',
    ]);
  });

  it('rejects a weight above the schema maximum and a non-integer weight', () => {
    expect(validateManifest(httpRoute(weighted(1000001, 0)))).toEqual([
      'HTTPRoute/web: /spec/rules/0/backendRefs/0/weight must be <= 1000000',
    ]);
    expect(validateManifest(httpRoute(weighted(50, '50' as any)))).toEqual([
      'HTTPRoute/web: /spec/rules/0/backendRefs/1/weight must be integer',
    ]);
  });

  it('rejects unknown fields (the schema is closed)', () => {
    expect(validateManifest(httpRoute(weighted(100, 0), { weight: 5 }))).toEqual([
      'HTTPRoute/web: /spec/rules/0 has unknown field "weight"',
    ]);
    const bad = grpcRoute();
    bad.spec.rules[0].backendRefs[0].serviceName = 'api-stable';
    expect(validateManifest(bad)).toEqual(['GRPCRoute/api: /spec/rules/0/backendRefs/0 has unknown field "serviceName"']);
  });

  it('rejects a bad enum value and a missing required field', () => {
    const badMatch = httpRoute(weighted(100, 0));
    badMatch.spec.rules[0].matches[0].path.type = 'Prefix';
    expect(validateManifest(badMatch)).toEqual([
      'HTTPRoute/web: /spec/rules/0/matches/0/path/type must be one of: "Exact", "PathPrefix", "RegularExpression"',
    ]);
    const noName = httpRoute([{ port: 80 }]);
    expect(validateManifest(noName)).toEqual(['HTTPRoute/web: /spec/rules/0/backendRefs/0 must have required field "name"']);
  });

  it('reports a kind the pinned CRDs do not define in the group', () => {
    expect(validateManifest({ ...grpcRoute(), kind: 'GRPCRouteX' })).toEqual([
      'GRPCRouteX/api: unknown kind "GRPCRouteX" in API group gateway.networking.k8s.io (no CRD in .tools/crds)',
    ]);
  });

  it('reads the standard channel: experimental-only fields are unknown', () => {
    // rules[].filters[].externalAuth exists only in the experimental-channel CRD.
    const bad = httpRoute(weighted(100, 0), {
      filters: [{ type: 'ExternalAuth', externalAuth: { protocol: 'HTTP', backendRef: { name: 'authz' } } }],
    });
    expect(validateManifest(bad).sort()).toEqual([
      'HTTPRoute/web: /spec/rules/0/filters/0 has unknown field "externalAuth"',
      'HTTPRoute/web: /spec/rules/0/filters/0/type must be one of: "RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror", "RequestRedirect", "URLRewrite", "ExtensionRef", "CORS"',
    ]);
    const schema = loadCrdSchema('gateway.networking.k8s.io', 'HTTPRoute', 'v1');
    const weight = schema.properties.spec.properties.rules.items.properties.backendRefs.items.properties.weight;
    expect([weight.minimum, weight.maximum]).toEqual([0, 1000000]);
  });
});

describe('Istio CRD schemas (networking.istio.io)', () => {
  it('accepts minimal valid VirtualService and DestinationRule objects', () => {
    expect(validateManifest(virtualService(subsetRoute(100, 0)))).toEqual([]);
    expect(validateManifest(virtualService(subsetRoute(70, 30)))).toEqual([]);
    expect(validateManifest(destinationRule(drSpec))).toEqual([]);
  });

  it('accepts the older served versions (v1beta1, v1alpha3)', () => {
    for (const v of ['v1beta1', 'v1alpha3']) {
      expect(validateManifest({ ...virtualService(subsetRoute(100, 0)), apiVersion: `networking.istio.io/${v}` })).toEqual([]);
      expect(validateManifest({ ...destinationRule(drSpec), apiVersion: `networking.istio.io/${v}` })).toEqual([]);
    }
  });

  it('rejects a string weight, an unknown field and a destination without host', () => {
    const route = subsetRoute(100, 0) as any[];
    route[1].weight = '0';
    route[0].destination.service = 'web';
    delete route[1].destination.host;
    expect(validateManifest(virtualService(route)).sort()).toEqual([
      'VirtualService/web: /spec/http/0/route/0/destination has unknown field "service"',
      'VirtualService/web: /spec/http/0/route/1/destination must have required field "host"',
      'VirtualService/web: /spec/http/0/route/1/weight must be integer',
    ]);
  });

  it('rejects a DestinationRule without host and a subset without name', () => {
    const { host: _host, ...noHost } = drSpec;
    expect(validateManifest(destinationRule({ ...noHost, subsets: [{ labels: { app: 'web' } }] })).sort()).toEqual([
      'DestinationRule/web: /spec must have required field "host"',
      'DestinationRule/web: /spec/subsets/0 must have required field "name"',
    ]);
  });
});
