/**
 * One test per Argo Rollouts controller rule (and per "accepted but surely wrong" rule) that canarykit
 * enforces at synth time; docs/validation.md points at these tests by name. Each case starts from a valid
 * document and breaks one thing, then checks the exact messages.
 */
import { specDocument, specIssues } from '../support/specs';

type Doc = Record<string, any>;

/** Valid: NGINX routing, a background analysis and a step analysis. */
function base(): Doc {
  return specDocument({
    image: 'example/web:1.2.3',
    ingress: { host: 'web.example.com' },
    trafficRouting: { nginx: {} },
    prometheus: { address: 'http://prometheus.monitoring:9090' },
    canary: {
      steps: [
        { name: 'first', setWeight: 10 },
        { pause: { duration: '1m' } },
        { analysis: { templates: ['once'], args: [{ name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } }] } },
        { setWeight: 50 },
      ],
      analysis: { templates: ['rate'], startingStep: 'first' },
    },
    analysisTemplates: [
      {
        name: 'rate',
        metrics: [{ name: 'errors', interval: '1m', successCondition: 'len(result) == 0 || result[0] < 0.01', provider: { prometheus: { query: 'sum(rate(errors_total[1m]))' } } }],
      },
      {
        name: 'once',
        args: [{ name: 'hash' }],
        metrics: [{ name: 'smoke', successCondition: 'result == "ok"', provider: { web: { url: 'http://web-canary.shop/health?h={{args.hash}}', jsonPath: '{$.status}' } } }],
      },
    ],
  });
}

function issues(change: (d: Doc) => void, severity: 'error' | 'warning' = 'error'): string[] {
  const doc = base();
  change(doc);
  return specIssues(doc, severity);
}

const spec = (d: Doc) => d.spec;
const metric = (d: Doc, t: number, m = 0) => d.spec.analysisTemplates[t].metrics[m];

describe('controller rules at synth time (exact messages)', () => {
  test('the base document is valid and has no warnings', () => {
    expect(issues(() => undefined)).toEqual([]);
    expect(issues(() => undefined, 'warning')).toEqual([]);
  });

  describe('Rollout strategy (ValidateRolloutStrategyCanary)', () => {
    test('stable and canary Service must differ', () => {
      expect(issues((d) => { spec(d).services = { canary: { name: 'web-stable' } }; })).toEqual([
        'spec.services.canary.name: "web-stable" is already the name of spec.services.stable.name; the stable, canary and root Services must differ',
      ]);
    });
    test('maxSurge and maxUnavailable cannot both be zero', () => {
      expect(issues((d) => { Object.assign(spec(d).canary, { maxSurge: '00%', maxUnavailable: 0 }); })).toEqual([
        'spec.canary.maxUnavailable: cannot be 0 when maxSurge is 0',
      ]);
    });
    test('maxUnavailable above 100%', () => {
      expect(issues((d) => { spec(d).canary.maxUnavailable = '150%'; })).toEqual(['spec.canary.maxUnavailable: "150%" is more than 100%']);
    });
    test('scaleDownDelaySeconds and dynamicStableScale need trafficRouting', () => {
      expect(issues((d) => { delete spec(d).trafficRouting; Object.assign(spec(d).canary, { scaleDownDelaySeconds: 30, dynamicStableScale: true }); })).toEqual([
        'spec.canary.dynamicStableScale: requires trafficRouting',
        'spec.canary.scaleDownDelaySeconds: requires trafficRouting',
        'spec.canary.scaleDownDelaySeconds: cannot be used with dynamicStableScale (the controller rejects the Rollout)',
      ]);
    });
    test('dynamicStableScale cannot be used with scaleDownDelaySeconds, nor with an abortScaleDownDelaySeconds above 0 (#4898)', () => {
      expect(issues((d) => { Object.assign(spec(d).canary, { scaleDownDelaySeconds: 30, dynamicStableScale: true }); })).toEqual([
        'spec.canary.scaleDownDelaySeconds: cannot be used with dynamicStableScale (the controller rejects the Rollout)',
      ]);
      expect(issues((d) => { Object.assign(spec(d).canary, { abortScaleDownDelaySeconds: 10, dynamicStableScale: true }); })).toEqual([
        'spec.canary.abortScaleDownDelaySeconds: with dynamicStableScale, an abort deadlocks in argo-rollouts v1.9.1: the canary is never scaled down and traffic never returns to stable (argoproj/argo-rollouts#4898); leave it out (the canary is scaled down with the weight) or set 0',
      ]);
      expect(issues((d) => { Object.assign(spec(d).canary, { abortScaleDownDelaySeconds: 0, dynamicStableScale: true }); })).toEqual([]);
    });
    test('dynamicStableScale with NGINX is a warning, not an error', () => {
      expect(issues((d) => { spec(d).canary.dynamicStableScale = true; }, 'warning')).toEqual([
        'warning: spec.canary.dynamicStableScale: with NGINX, requests can get 503 while the stable pods are scaled down at 100% canary weight',
      ]);
    });
    test('abortScaleDownDelaySeconds without trafficRouting is ignored by the controller', () => {
      expect(issues((d) => { delete spec(d).trafficRouting; spec(d).canary.abortScaleDownDelaySeconds = 5; })).toEqual([
        'spec.canary.abortScaleDownDelaySeconds: applies only with trafficRouting; a basic canary ignores it',
      ]);
    });
    test('setCanaryScale needs trafficRouting', () => {
      expect(issues((d) => { delete spec(d).trafficRouting; spec(d).canary.steps[3] = { setCanaryScale: { replicas: 2 } }; })).toEqual([
        'spec.canary.steps[3].setCanaryScale: requires trafficRouting: without a router the canary scale is the weight',
      ]);
    });
    test('a step sets exactly one action', () => {
      expect(issues((d) => { spec(d).canary.steps[3] = {}; })).toEqual(['spec.canary.steps[3]: must set one of setWeight, pause, analysis, setCanaryScale, setHeaderRoute, setMirrorRoute']);
      expect(issues((d) => { spec(d).canary.steps[3] = { setWeight: 50, pause: {} }; })).toEqual(['spec.canary.steps[3]: sets setWeight and pause; a step does exactly one thing']);
    });
    test('setCanaryScale sets exactly one of weight, replicas, matchTrafficWeight', () => {
      expect(issues((d) => { spec(d).canary.steps[3] = { setCanaryScale: { weight: 5, replicas: 1 } }; })).toEqual([
        'spec.canary.steps[3].setCanaryScale: {"weight":5,"replicas":1} must set exactly one of weight, replicas, matchTrafficWeight',
      ]);
    });
    test('exactly one of steps and weights; weights increase', () => {
      expect(issues((d) => { spec(d).canary.weights = [10]; })).toEqual(['spec.canary: must set exactly one of steps and weights']);
      expect(issues((d) => { delete spec(d).canary.steps; delete spec(d).canary.analysis; spec(d).canary.weights = [20, 20]; })).toEqual([
        'spec.canary.steps: duplicate step name "weight-20"',
        'spec.canary.weights[1]: 20 must be greater than the previous weight 20',
      ]);
    });
    test('pause duration fits the controller int32 seconds; integers fit int32', () => {
      expect(issues((d) => { spec(d).canary.steps[1].pause.duration = '600000h'; spec(d).replicas = 2 ** 31; })).toEqual([
        'spec.replicas: 2147483648 is larger than 2147483647, the largest int32 the API accepts',
        'spec.canary.steps[1].pause.duration: "600000h" is longer than 2147483647s, the longest pause the controller accepts (int32 seconds)',
      ]);
    });
    test('replicas and revisionHistoryLimit are non-negative integers', () => {
      expect(issues((d) => { spec(d).replicas = -1; spec(d).revisionHistoryLimit = 1.5; })).toEqual([
        'spec.replicas: -1 must be >= 0',
        'spec.revisionHistoryLimit: 1.5 is not an int',
      ]);
    });
    const headerStep = (name = 'by-header') => ({ setHeaderRoute: { name, match: [{ headerName: 'X-Canary', headerValue: { exact: 'always' } }] } });
    const gatewayApi = (d: Doc) => {
      spec(d).trafficRouting = { gatewayAPI: { route: { parentRefs: [{ name: 'public' }] } }, managedRoutes: [{ name: 'by-header' }] };
    };
    test('setHeaderRoute and setMirrorRoute need a router that supports them', () => {
      expect(issues((d) => { spec(d).trafficRouting.managedRoutes = [{ name: 'by-header' }]; spec(d).canary.steps[3] = headerStep(); })).toEqual([
        'spec.canary.steps[3].setHeaderRoute: needs a router that supports header routes (istio, gatewayAPI); nginx does not',
      ]);
      expect(issues((d) => { delete spec(d).trafficRouting; delete spec(d).canary.analysis; spec(d).canary.steps[3] = headerStep(); })).toEqual([
        'spec.canary.steps[3].setHeaderRoute: needs a router that supports header routes (istio, gatewayAPI)',
        'spec.canary.steps[3].setHeaderRoute.name: "by-header" is not declared in trafficRouting.managedRoutes (the controller refuses the Rollout)',
      ]);
      expect(issues((d) => { gatewayApi(d); spec(d).trafficRouting.managedRoutes = [{ name: 'mirror' }]; spec(d).canary.steps[3] = { setMirrorRoute: { name: 'mirror', match: [{ path: { prefix: '/' } }] } }; })).toEqual([
        "spec.canary.steps[3].setMirrorRoute: needs a router that supports mirror routes (istio); gatewayAPI does not",
      ]);
      expect(issues((d) => { gatewayApi(d); spec(d).canary.steps[3] = headerStep(); })).toEqual([]);
    });
    test('header and mirror routes must be declared in managedRoutes', () => {
      expect(issues((d) => { gatewayApi(d); spec(d).canary.steps[3] = headerStep('other'); })).toEqual([
        'spec.canary.steps[3].setHeaderRoute.name: "other" is not declared in trafficRouting.managedRoutes (the controller refuses the Rollout)',
      ]);
      expect(issues((d) => { gatewayApi(d); delete spec(d).trafficRouting.managedRoutes; spec(d).canary.steps[3] = headerStep(); })).toEqual([
        'spec.canary.steps[3].setHeaderRoute.name: "by-header" is not declared in trafficRouting.managedRoutes (the controller refuses the Rollout)',
      ]);
    });
    test('a match value sets exactly one of exact, prefix, regex', () => {
      expect(issues((d) => { gatewayApi(d); spec(d).canary.steps[3] = headerStep(); spec(d).canary.steps[3].setHeaderRoute.match[0].headerValue = { exact: 'a', regex: 'b' }; })).toEqual([
        'spec.canary.steps[3].setHeaderRoute.match[0].headerValue: {"exact":"a","regex":"b"} must set exactly one of exact, prefix, regex',
      ]);
      expect(issues((d) => { gatewayApi(d); spec(d).canary.steps[3] = { setHeaderRoute: { name: 'by-header', match: [{ headerName: 'X-Canary', headerValue: {} }] } }; })).toEqual([
        'spec.canary.steps[3].setHeaderRoute.match[0].headerValue: {} must set exactly one of exact, prefix, regex',
      ]);
      expect(issues((d) => { gatewayApi(d); spec(d).canary.steps[3] = { setHeaderRoute: { name: 'by-header', match: [] } }; })).toEqual([
        'spec.canary.steps[3].setHeaderRoute.match: [] must list at least one header (leave match out to remove the route)',
      ]);
      expect(issues((d) => { gatewayApi(d); spec(d).canary.steps[3] = { ...headerStep(), setWeight: 20 }; })).toEqual([
        'spec.canary.steps[3]: sets setWeight and setHeaderRoute; a step does exactly one thing',
      ]);
    });
    test('managed routes: removal order, unused, duplicate and router-less routes', () => {
      expect(issues((d) => { gatewayApi(d); spec(d).canary.steps[3] = { setHeaderRoute: { name: 'by-header' } }; }, 'warning')).toEqual([
        'warning: spec.canary.steps[3].setHeaderRoute: removes "by-header", which no earlier step sets',
      ]);
      expect(issues((d) => { gatewayApi(d); spec(d).canary.steps.splice(1, 0, headerStep()); spec(d).canary.steps.push({ setHeaderRoute: { name: 'by-header' } }); }, 'warning')).toEqual([]);
      // The controller removes managed routes while the canary has no available pod (weight 0, no canary scale).
      expect(issues((d) => { gatewayApi(d); spec(d).canary.steps.unshift(headerStep()); }, 'warning')).toEqual([
        'warning: spec.canary.steps[0].setHeaderRoute: the canary has no pods at this step (weight 0), so the controller removes the route at once; start canary pods first (setCanaryScale)',
      ]);
      expect(issues((d) => { gatewayApi(d); spec(d).canary.steps.unshift({ setCanaryScale: { replicas: 1 } }, headerStep()); }, 'warning')).toEqual([]);
      expect(issues((d) => { gatewayApi(d); }, 'warning')).toEqual([
        'warning: spec.trafficRouting.managedRoutes[0].name: "by-header" is set by no setHeaderRoute or setMirrorRoute step',
      ]);
      expect(issues((d) => { gatewayApi(d); spec(d).trafficRouting.managedRoutes.push({ name: 'by-header' }); spec(d).canary.steps[3] = headerStep(); })).toEqual([
        'spec.trafficRouting.managedRoutes[1].name: duplicate managed route "by-header"',
      ]);
      expect(issues((d) => { spec(d).trafficRouting = { managedRoutes: [{ name: 'by-header' }] }; delete spec(d).canary.analysis; })).toEqual([
        'spec.trafficRouting.managedRoutes: requires a traffic router: the routes are set by the router',
      ]);
    });
    test('NGINX routing needs the stable Ingress', () => {
      expect(issues((d) => { delete spec(d).ingress; })).toEqual(['spec.trafficRouting.nginx: needs spec.ingress: the NGINX router splits traffic of the stable Ingress']);
    });
  });

  describe('analysis references (ValidateAnalysisTemplatesWithType, FlattenTemplates, MergeArgs)', () => {
    test('a step analysis must end: interval without count runs indefinitely', () => {
      expect(issues((d) => { metric(d, 1).interval = '30s'; })).toEqual([
        'spec.canary.steps[2].analysis.templates: template "once" metric "smoke" has an interval but no count, so it runs indefinitely; a step analysis must end (set count)',
      ]);
    });
    test('templates run together must not share a metric name', () => {
      expect(issues((d) => { metric(d, 1).name = 'errors'; spec(d).canary.steps[2].analysis.templates = ['once', 'rate']; metric(d, 0).count = 3; })).toEqual([
        'spec.canary.steps[2].analysis.templates: templates "once" and "rate" both define metric "errors"; the controller refuses two metrics with the same name in one AnalysisRun',
      ]);
    });
    test('templates run together must agree on arg values', () => {
      expect(issues((d) => {
        spec(d).analysisTemplates[0].args = [{ name: 'hash', value: 'a' }];
        metric(d, 0).provider.prometheus.query = 'x{h="{{args.hash}}"}';
        spec(d).analysisTemplates[1].args = [{ name: 'hash', value: 'b' }];
        spec(d).canary.analysis.templates = ['rate', 'once'];
        metric(d, 1).count = 1;
      })).toEqual([
        'spec.canary.analysis.templates: templates "rate" and "once" give arg "hash" different values ("a", "b"); the controller refuses the AnalysisRun',
      ]);
    });
    test('args without a value must be supplied; supplied args must be declared', () => {
      expect(issues((d) => { spec(d).canary.steps[2].analysis.args = [{ name: 'hsh', value: 'x' }]; })).toEqual([
        'spec.canary.steps[2].analysis.args: template "once" needs arg "hash", which has no default and is not supplied',
        'spec.canary.steps[2].analysis.args[0].name: "hsh" is not declared by any referenced template; the controller would drop it',
      ]);
    });
    test('a value for a Secret-backed arg is ignored by the controller', () => {
      expect(issues((d) => {
        spec(d).analysisTemplates[1].args = [{ name: 'hash', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }];
        spec(d).canary.steps[2].analysis.args = [{ name: 'hash', value: 'x' }];
      })).toEqual(['spec.canary.steps[2].analysis.args[0]: template "once" reads arg "hash" from a Secret; the controller ignores the value supplied here']);
    });
    test('fieldRef args must name a field the controller can read', () => {
      expect(issues((d) => { spec(d).canary.steps[2].analysis.args[0] = { name: 'hash', valueFrom: { fieldRef: { fieldPath: 'metadata.labels.app' } } }; })).toEqual([
        'spec.canary.steps[2].analysis.args[0].valueFrom.fieldRef.fieldPath: "metadata.labels.app" is not a metadata field the downward API supports (metadata.name, .namespace, .uid, .labels[\'key\'], .annotations[\'key\'])',
      ]);
      expect(issues((d) => { spec(d).canary.steps[2].analysis.args[0] = { name: 'hash', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } }; })).toEqual([]);
    });
    test('referenced templates must exist; startingStep must name a step', () => {
      expect(issues((d) => { spec(d).canary.analysis = { templates: ['nope'], startingStep: 'second' }; })).toEqual([
        'spec.canary.analysis.templates[0]: "nope" is not defined in spec.analysisTemplates (defined: rate, once); use { name, cluster: true } for an existing ClusterAnalysisTemplate',
        'spec.canary.analysis.startingStep: "second" is not the name of a step (named steps: first)',
      ]);
    });
  });

  describe('metrics (ValidateMetric, ResolveArgs, providers)', () => {
    test('exactly one provider', () => {
      const found = issues((d) => { metric(d, 0).provider.web = { url: 'http://x' }; });
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/^spec\.analysisTemplates\[0\]\.metrics\[0\]\.provider: .* must set exactly one of prometheus, web, job/);
    });
    test('interval and initialDelay are Go durations within range', () => {
      expect(issues((d) => { metric(d, 0).interval = '1 minute'; })).toEqual([
        'spec.analysisTemplates[0].metrics[0].interval: "1 minute" is not a duration such as 30s, 5m or 1h30m',
      ]);
      expect(issues((d) => { metric(d, 0).initialDelay = '9999999999h'; })).toEqual([
        'spec.analysisTemplates[0].metrics[0].initialDelay: "9999999999h" is longer than 9223372036s, the longest Go duration',
      ]);
    });
    test('count > 1 needs an interval', () => {
      expect(issues((d) => { metric(d, 1).count = 3; })).toEqual(['spec.analysisTemplates[1].metrics[0].interval: is required when count is 3']);
    });
    test('limits against count: failureLimit below count, inconclusiveLimit at most count', () => {
      expect(issues((d) => { Object.assign(metric(d, 0), { count: 3, failureLimit: 3, inconclusiveLimit: 4 }); })).toEqual([
        'spec.analysisTemplates[0].metrics[0].failureLimit: 3 is not below count 3: the metric could never fail',
        'spec.analysisTemplates[0].metrics[0].inconclusiveLimit: 4 is more than count 3; the controller requires count >= inconclusiveLimit',
      ]);
      expect(issues((d) => { metric(d, 1).failureLimit = 1; })).toEqual([
        'spec.analysisTemplates[1].metrics[0].failureLimit: 1 with a single measurement (no count, no interval): the metric could never fail',
      ]);
    });
    test('duplicate metric, template and arg names', () => {
      expect(issues((d) => {
        spec(d).analysisTemplates.push(structuredClone(spec(d).analysisTemplates[1]));
        spec(d).analysisTemplates[2].metrics.push(structuredClone(metric(d, 2)));
        spec(d).analysisTemplates[2].args.push({ name: 'hash' });
      })).toEqual([
        'spec.analysisTemplates[2].name: duplicate template name "once"',
        'spec.analysisTemplates[2].args[1].name: duplicate name "hash"',
        'spec.analysisTemplates[2].metrics[1].name: duplicate metric name "smoke"',
      ]);
    });
    test('negative limits are refused', () => {
      expect(issues((d) => { metric(d, 0).consecutiveErrorLimit = -1; })).toEqual(['spec.analysisTemplates[0].metrics[0].consecutiveErrorLimit: -1 must be >= 0']);
    });
    test('every {{...}} must resolve to a declared arg; unclosed {{ fails to parse', () => {
      expect(issues((d) => {
        metric(d, 0).provider.prometheus.headers = [{ key: 'X-Max', value: '{{args.max}}' }];
        metric(d, 0).provider.prometheus.query = 'sum(x{a="{{ args.metadata.name }}", b="{{args.a b}}"})';
        metric(d, 1).provider.web.jsonPath = '{$.a}{{';
      })).toEqual([
        'spec.analysisTemplates[0].metrics[0].provider.prometheus.headers[0].value: uses {{args.max}} but template "rate" declares no arg "max"',
        'spec.analysisTemplates[0].metrics[0].provider.prometheus.query: uses {{args.metadata.name}} but template "rate" declares no arg "metadata.name"',
        'spec.analysisTemplates[0].metrics[0].provider.prometheus.query: "{{args.a b}}" is not {{args.<name>}} of a declared arg; the controller fails the AnalysisRun ("failed to resolve")',
        'spec.analysisTemplates[1].metrics[0].provider.web.jsonPath: has "{{" without a closing "}}"; the controller fails to parse the metric',
        'spec.analysisTemplates[1].metrics[0].provider.web.jsonPath: "{$.a}{{" is not a JSONPath template such as {$.data.rate}',
      ]);
    });
    test('a Prometheus or web metric needs a condition; conditions must parse', () => {
      expect(issues((d) => { delete metric(d, 0).successCondition; metric(d, 1).successCondition = 'result[0] >= (0.9'; })).toEqual([
        'spec.analysisTemplates[0].metrics[0]: sets neither successCondition nor failureCondition; the controller would count every measurement as successful',
        'spec.analysisTemplates[1].metrics[0].successCondition: "result[0] >= (0.9" has an unclosed "("',
      ]);
      expect(issues((d) => { metric(d, 1).successCondition = 'true'; }, 'warning')).toEqual([
        'warning: spec.analysisTemplates[1].metrics[0].successCondition: "true" does not look at result, so every measurement gets the same verdict',
      ]);
    });
    test('web: URL, body only with POST/PUT, header values without control characters', () => {
      expect(issues((d) => {
        Object.assign(metric(d, 1).provider.web, { url: 'ftp://x/{{args.hash}}', body: '{}', headers: [{ key: 'X-A', value: 'a\r\nInjected: 1' }] });
      })).toEqual([
        'spec.analysisTemplates[1].metrics[0].provider.web.url: "ftp://x/{{args.hash}}" is not an http:// or https:// URL',
        'spec.analysisTemplates[1].metrics[0].provider.web.body: is set but the method is GET; the controller fails the measurement (body needs POST or PUT)',
        "spec.analysisTemplates[1].metrics[0].provider.web.headers[0].value: contains a control character (newline?); Go's HTTP client refuses the header",
      ]);
      expect(issues((d) => { metric(d, 1).provider.web.url = 'http://x/a b'; })).toEqual([
        'spec.analysisTemplates[1].metrics[0].provider.web.url: "http://x/a b" contains whitespace or a control character; percent-encode it',
      ]);
    });
    test('web: JSON bodies with args belong in jsonBody; body and jsonBody exclude each other and need POST/PUT', () => {
      const w = 'spec.analysisTemplates[1].metrics[0].provider.web';
      expect(issues((d) => { Object.assign(metric(d, 1).provider.web, { body: '{"hash": "{{args.hash}}"}', jsonBody: { hash: '{{args.hash}}' } }); })).toEqual([
        `${w}.body: is set but the method is GET; the controller fails the measurement (body needs POST or PUT)`,
        `${w}.jsonBody: is set but the method is GET; the controller fails the measurement (jsonBody needs POST or PUT)`,
        `${w}: sets both body and jsonBody; the controller fails every measurement that has both`,
      ]);
      expect(issues((d) => { Object.assign(metric(d, 1).provider.web, { method: 'POST', body: '{"hash": "{{args.hash}}"}' }); }, 'warning')).toEqual([
        `warning: ${w}.body: is JSON with {{args...}} in it; the controller substitutes arg values unescaped here, so a quote or backslash in one breaks the body. Write it as jsonBody, where they are escaped`,
      ]);
      expect(issues((d) => { Object.assign(metric(d, 1).provider.web, { method: 'POST', body: 'hash={{args.hash}}' }); }, 'warning')).toEqual([]);
      expect(issues((d) => { Object.assign(metric(d, 1).provider.web, { method: 'PUT', jsonBody: { hash: '{{args.hash}}', tags: ['a', 1, null] } }); })).toEqual([]);
      // Placeholders in jsonBody count as uses of the template's args, and undeclared ones are errors.
      expect(issues((d) => { Object.assign(metric(d, 1).provider.web, { method: 'POST', jsonBody: { x: '{{args.nope}}' } }); }).join('\n')).toMatch(/jsonBody\.x: .*nope/);
    });
    test('prometheus address: http(s) once args are substituted; without one, a warning', () => {
      // prometheus.go NewPrometheusAPI: without an address the controller's ARGO_ROLLOUTS_PROMETHEUS_ADDRESS applies.
      expect(issues((d) => { delete spec(d).prometheus; })).toEqual([]);
      expect(issues((d) => { delete spec(d).prometheus; }, 'warning')).toEqual([
        'warning: spec.analysisTemplates[0].metrics[0].provider.prometheus.address: is not set (nor spec.prometheus.address): the controller then queries its ARGO_ROLLOUTS_PROMETHEUS_ADDRESS environment variable, and without one every measurement errors ("prometheus address is not configured")',
      ]);
      // Args are substituted first: a host, a port or the whole address may be one.
      for (const address of ['http://prometheus.{{args.hash}}.svc:9090', 'http://{{args.hash}}:{{args.hash}}/', '{{args.hash}}']) {
        expect(issues((d) => { metric(d, 0).provider.prometheus.address = address; d.spec.analysisTemplates[0].args = [{ name: 'hash' }]; d.spec.canary.analysis.args = [{ name: 'hash', value: 'x' }]; })).toEqual([]);
      }
      expect(issues((d) => { metric(d, 0).provider.prometheus.address = 'file:///etc/passwd'; })).toEqual([
        'spec.analysisTemplates[0].metrics[0].provider.prometheus.address: "file:///etc/passwd" is not an http:// or https:// URL',
      ]);
    });
    test('declared but unused args are a warning', () => {
      expect(issues((d) => { spec(d).analysisTemplates[0].args = [{ name: 'spare', value: 'x' }]; }, 'warning')).toEqual([
        'warning: spec.analysisTemplates[0].args: arg "spare" is declared but no metric uses {{args.spare}}',
      ]);
    });
    test('job image and env', () => {
      expect(issues((d) => {
        metric(d, 1).provider = { job: { image: 'curl image:1', command: ['true'], env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'spec.containers' } } }] } };
        delete metric(d, 1).successCondition;
      })).toEqual([
        'spec.analysisTemplates[1].metrics[0].provider.job.image: "curl image:1" is not an image reference (no whitespace)',
        'spec.analysisTemplates[1].metrics[0].provider.job.env[0].valueFrom.fieldRef.fieldPath: "spec.containers" is not a pod field the downward API supports (metadata.name, metadata.labels[\'key\'], status.podIP, ...)',
      ]);
    });
  });

  describe('pod template (ValidatePodTemplateSpecForReplicaSet)', () => {
    test('requests must not exceed limits, defaults included; quantities must parse', () => {
      // The quantity grammar is the schema's, so a malformed quantity is reported before the cross-field rules run.
      expect(issues((d) => { spec(d).resources = { requests: { cpu: '1', memory: '1.5.Gi' } }; })).toEqual([
        'spec.resources.requests.memory: "1.5.Gi" is not a Kubernetes quantity such as 100m or 128Mi',
      ]);
      expect(issues((d) => { spec(d).resources = { requests: { cpu: '1' } }; })).toEqual([
        'spec.resources.requests.cpu: "1" is more than the limit "500m" (the default limit; set resources.limits); the API server rejects the pod template',
      ]);
      expect(issues((d) => { spec(d).resources = { limits: { memory: '-1Gi' } }; })).toEqual([
        'spec.resources.limits.memory: "-1Gi" must be >= 0',
        'spec.resources.requests.memory: "128Mi" is more than the limit "-1Gi"; the API server rejects the pod template',
      ]);
    });
    test('liveness and startup successThreshold must be 1; probe ports must be named container ports', () => {
      expect(issues((d) => {
        spec(d).probes = { liveness: { httpGet: { path: '/', port: 'metrics' }, successThreshold: 2 }, startup: { tcpSocket: { port: 'http' } } };
      })).toEqual([
        'spec.probes.liveness.successThreshold: 2 must be 1 for liveness probes',
        'spec.probes.liveness.httpGet.port: "metrics" is not a container port name (named ports: http)',
      ]);
    });
    test('runAsUser 0 contradicts runAsNonRoot', () => {
      expect(issues((d) => { spec(d).security = { runAsUser: 0 }; })).toEqual([
        'spec.security.runAsUser: 0 is root, but runAsNonRoot is true; the kubelet refuses to start the container',
      ]);
    });
    test('env downward API fields and resources', () => {
      expect(issues((d) => {
        spec(d).env = [
          { name: 'A', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'B', valueFrom: { resourceFieldRef: { resource: 'limits.gpu' } } },
        ];
      })).toEqual(['spec.env[1].valueFrom.resourceFieldRef.resource: "limits.gpu" is not one of limits.cpu, limits.memory, limits.ephemeral-storage, requests.cpu, ...']);
    });
  });

  describe('names, labels, annotations, hosts', () => {
    test('names are DNS labels; label values follow the label-value rule', () => {
      expect(issues((d) => { d.metadata.name = 'Web"; rm -rf /'; spec(d).podLabels = { team: 'a b' }; })).toEqual([
        'metadata.name: "Web\\"; rm -rf /" is not a DNS-1035 label (lower case alphanumerics and "-", starting with a letter)',
        'spec.podLabels.team: "a b" is not a valid label value (alphanumerics and "-_." starting and ending alphanumeric)',
      ]);
    });
    test('label and annotation keys: name part at most 63 characters', () => {
      const key = `example.com/${'a'.repeat(64)}`;
      expect(issues((d) => { spec(d).podAnnotations = { [key]: 'x' }; })).toEqual([`spec.podAnnotations["${key}"]: the name part of the key is 64 characters, more than 63`]);
    });
    test('controller-owned labels and annotations are refused', () => {
      expect(issues((d) => {
        spec(d).podLabels = { 'rollouts-pod-template-hash': 'x' };
        spec(d).canary.canaryMetadata = { labels: { 'app.kubernetes.io/name': 'other' } };
        spec(d).services = { stable: { annotations: { 'argo-rollouts.argoproj.io/managed-by-rollouts': 'other' } } };
      })).toEqual([
        'spec.podLabels["rollouts-pod-template-hash"]: is the label the controller sets to tell canary and stable pods apart',
        'spec.canary.canaryMetadata.labels["app.kubernetes.io/name"]: is the selector label canarykit sets; pods relabelled would leave the Rollout\'s selector',
        'spec.services.stable.annotations["argo-rollouts.argoproj.io/managed-by-rollouts"]: is set by the controller on the Services it manages; a different value makes it refuse the Service',
      ]);
    });
    test('event names and sink values cannot inject into the onAbort notification template', () => {
      expect(issues((d) => {
        spec(d).events = {
          name: 'deploy-{{.rollout.metadata.name}}-{weight}',
          sink: { url: 'https://events.example.com/x', tokenSecretRef: { name: 'tok', key: 'k' }, tokenPrefix: 'Bearer $', fields: { env: 'prod' } },
        };
      })).toEqual([
        'spec.events.name: contains "{{", which the notification template of onAbort would run as a Go template action',
        'spec.events.sink.tokenPrefix: contains "$", which the notification service config of onAbort reads as a secret reference',
      ]);
    });
    test('onAbort subscribes through one subscriptions annotation: any app name fits', () => {
      const events = { sink: { url: 'https://events.example.com/x', tokenSecretRef: { name: 'tok', key: 'k' } } };
      expect(issues((d) => { d.metadata.name = 'a'.repeat(47); spec(d).events = events; })).toEqual([]);
    });
    test('Ingress host is a DNS name, not an IP; Prefix paths without //, /./, /../', () => {
      expect(issues((d) => { spec(d).ingress = { host: '10.0.0.1', path: '/a//b' }; })).toEqual([
        'spec.ingress.host: "10.0.0.1" is an IP address; an Ingress host must be a DNS name',
        'spec.ingress.path: "/a//b" contains "//", which the Ingress API refuses for Prefix paths',
      ]);
      expect(issues((d) => { spec(d).ingress.path = '/a;b{c}'; }, 'warning')).toEqual([
        'warning: spec.ingress.path: "/a;b{c}" has characters ingress-nginx refuses in Prefix paths; use pathType ImplementationSpecific for a regex',
      ]);
    });
  });
});
