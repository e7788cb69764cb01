/**
 * The e2e specs are the examples themselves (examples/*.yaml) with a small overlay each, synthesized by
 * canarykit's real pipeline (parseDocument -> synthDocuments -> toYamlDocuments, i.e. what `canarykit
 * synth` writes). An overlay holds only what the e2e cluster needs to differ from a user's: the
 * scenario's namespace and image tag, the loopback addresses of its Prometheus and fake endpoints,
 * test-sized timings, and what a scenario adds or leaves out to observe one thing. Each override says
 * why it exists; test/support/e2e-specs.test.ts proves the overlaid specs are valid and differ from the
 * examples in the overridden fields only.
 */
import { parseDocument, parseLibrary } from '../../src/load/parse';
import { formatIssue } from '../../src/document/errors';
import { KubeObject, synthDocuments, synthLibrary } from '../../src/constructs/synth';
import { toYamlDocuments } from '../../src/util/yaml-emitter';
import { exampleSource } from '../support/examples';

/** What differs from one scenario run to the next. */
export interface E2eVars {
  /** Each scenario has a namespace of its own. */
  readonly namespace: string;
  /** The image tag of the revision to apply: a new tag starts a canary (kwok fakes the pods; nothing pulls it). */
  readonly tag: string;
  /** The e2e Prometheus, scraping the loopback metrics server. */
  readonly prometheusUrl: string;
  /** The loopback server standing in for the web metric endpoints. */
  readonly webMetricUrl: string;
  /** The loopback server standing in for the domain event sink. */
  readonly eventSinkUrl: string;
}

/** Value of an override that removes the field. */
export const REMOVE = Symbol('remove');

export interface Override {
  /** A spec path as canarykit's messages spell it: `spec.canary.steps[1].pause.duration`. */
  readonly path: string;
  readonly value: unknown;
  readonly why: string;
}

export interface Scenario {
  /** The file under examples/. */
  readonly example: string;
  readonly overrides: (vars: E2eVars) => readonly Override[];
}

const set = (path: string, value: unknown, why: string): Override => ({ path, value, why });

/** Every scenario runs in its own namespace and updates the image tag to start a canary. */
const placed = (v: E2eVars): Override[] => [
  set('metadata.namespace', v.namespace, 'each scenario has a namespace of its own'),
  set('spec.image.tag', v.tag, 'a scenario applies one tag, then another to start a canary'),
];

const PAUSE = 'test-sized pause: the scenario watches every step within its time limit';
const NO_ANALYSIS = 'the Prometheus analysis is scenarios 1 and 2; here it would find no traffic (inconclusive) and add AnalysisRuns the scenario counts';
const SCALE_DOWN = 'the old ReplicaSet is scaled down within the scenario, not after the default 30s';

/**
 * The sample app's success-share analysis (its canary and blue-green examples), measured on the e2e
 * Prometheus at test speed.
 */
const measuredByE2ePrometheus = (v: E2eVars): Override[] => [
  set('spec.prometheus.address', v.prometheusUrl, 'the e2e Prometheus'),
  set('spec.serviceMonitor.interval', '1s', 'the e2e Prometheus scrapes every second; the rate window must span 4 scrape intervals'),
  set('spec.analysisTemplates[0].metrics[0].interval', '2s', 'measurements every 2s instead of every 30s or minute'),
  set('spec.analysisTemplates[0].metrics[0].provider.successRate.canary.namespace', v.namespace, "the new revision's series carry the scenario's namespace"),
  set('spec.analysisTemplates[0].metrics[0].provider.successRate.window', '10s', 'a rate over 10 one-second scrapes: steady enough for a 2s measurement'),
];

/** The two scenarios of pree-dew-domain-events.yaml: its weights with a short pause, without its analysis. */
const preeDew = (v: E2eVars, pause: string): Override[] => [
  ...placed(v),
  set('spec.canary.pause', pause, PAUSE),
  set('spec.canary.scaleDownDelaySeconds', 5, SCALE_DOWN),
  set('spec.notifications', REMOVE, 'notifications are notifications.test.ts; without the analysis its analysis triggers never fire'),
  set('spec.canary.analysis', REMOVE, NO_ANALYSIS),
  set('spec.analysisTemplates', REMOVE, NO_ANALYSIS),
];

/** The sample app of scenarios 1 and 2 (and, with notifications, notifications.test.ts). */
const sampleApp = (v: E2eVars): Override[] => [
  ...placed(v),
  set('spec.replicas', 2, 'scenario 2 checks the stable ReplicaSet keeps its 2 pods while the canary is scaled down'),
  ...measuredByE2ePrometheus(v),
  set('spec.canary.scaleDownDelaySeconds', 5, SCALE_DOWN),
  set('spec.canary.abortScaleDownDelaySeconds', 5, 'scenario 2 waits 30s for the aborted canary to be scaled down; the default delay is 30s'),
  set('spec.canary.steps[1].pause.duration', '5s', 'the manual pause would need a promote; scenarios 1 and 2 are about the analysis'),
  set('spec.canary.steps[3].pause.duration', '10s', PAUSE),
  set('spec.canary.steps[5].pause.duration', '10s', PAUSE),
];

/** An app of scenario 3: the shared template's args come from the Rollout, so only its steps are test-sized. */
const sharedTemplateUser = (v: E2eVars): Override[] => [
  ...placed(v),
  set('spec.serviceMonitor.interval', '1s', 'the e2e Prometheus scrapes every second'),
  set('spec.canary.steps[1].pause.duration', '15s', PAUSE),
  set('spec.canary.steps[3].pause.duration', '15s', PAUSE),
];

export const SCENARIOS = {
  /** Scenarios 1 (healthy) and 2 (faulty): the built-in success rate measured by the e2e Prometheus. */
  'sample-app': {
    example: 'jhandguy-sample-app.yaml',
    overrides: (v) => sampleApp(v),
  },
  /**
   * Notifications (notifications.test.ts): scenarios 1 and 2 with domain events and a webhook sink, both
   * on the loopback signal server, so the controller's notification engine sends to it.
   */
  'sample-app-notify': {
    example: 'jhandguy-sample-app.yaml',
    overrides: (v) => [
      ...sampleApp(v),
      set('spec.events', {
        sink: { url: `${v.webMetricUrl}/notify/domain-events-${v.namespace}`, tokenSecretRef: { name: 'event-sink', key: 'token' }, fields: { workspace: 'sample-service' } },
      }, 'domain events, so the abort sends their stop event through the notification engine (kwok runs no event Job: only the engine sends here)'),
      set('spec.notifications', {
        sinks: {
          deploys: {
            webhook: {
              url: `${v.webMetricUrl}/notify/deploys`,
              token: { secretKey: 'deploys-token' },
              fields: { team: 'checkout', canaryWeight: { from: 'rollout.status.canary.weights.canary.weight' } },
            },
          },
        },
        subscriptions: [{ triggers: ['on-rollout-step-completed', 'on-rollout-completed', 'on-rollout-aborted', 'on-analysis-run-failed'], sinks: ['deploys'] }],
      }, 'a webhook sink with a token from the notification Secret and a field read from the Rollout'),
    ],
  },
  /** Scenario 3: the pixie web metric against the loopback server, and a jsonBody arg the controller must escape. */
  'px-canary-demo': {
    example: 'pixie-web-metric.yaml',
    overrides: (v) => [
      ...placed(v),
      set('spec.canary.steps[1].pause.duration', '8s', PAUSE),
      set('spec.canary.steps[3].pause.duration', '8s', PAUSE),
      set('spec.canary.analysis.args[3]', { name: 'note', value: 'say "hi" \\ bye' }, 'an arg with quotes and a backslash, for the verdict metric below'),
      set('spec.analysisTemplates[0].args[3]', { name: 'note' }, 'declares that arg'),
      set('spec.analysisTemplates[0].metrics[0].interval', '2s', 'measurements every 2s instead of every 30s'),
      set('spec.analysisTemplates[0].metrics[0].initialDelay', '1s', 'the first measurement within the first pause'),
      set('spec.analysisTemplates[0].metrics[0].provider.web.url',
        `${v.webMetricUrl}/error-rate/{{args.namespace}}/{{args.service-name}}-{{args.canary-pod-hash}}`,
        "the loopback server instead of px-metrics; the path, the args' values, is what the scenario checks"),
      set('spec.analysisTemplates[0].metrics[1]', {
        name: 'verdict',
        successCondition: 'result == "ok"',
        interval: '2s',
        initialDelay: '1s',
        provider: {
          web: {
            url: `${v.webMetricUrl}/verdict`,
            method: 'POST',
            jsonBody: { namespace: '{{args.namespace}}', note: '{{args.note}}' },
            timeoutSeconds: 5,
            jsonPath: '{$.verdict}',
          },
        },
      }, 'a web metric POSTing a jsonBody with that arg, to prove the controller escapes it'),
    ],
  },
  /** Scenario 4: the domain event Jobs at their steps, with their args, sent to a loopback sink. */
  'pree-dew-events': {
    example: 'pree-dew-domain-events.yaml',
    overrides: (v) => [
      ...preeDew(v, '3s'),
      set('spec.events.sink', { url: v.eventSinkUrl, tokenSecretRef: { name: 'event-sink', key: 'token' }, fields: { workspace: 'sample-service' } },
        'a generic sink on loopback instead of Last9, with the Secret the scenario creates (kwok runs no Job: the payload is proven in test/analysis/events.test.ts)'),
    ],
  },
  /** Scenario 5: the canary Ingress the controller manages for NGINX routing. */
  'pree-dew-app': {
    example: 'pree-dew-domain-events.yaml',
    overrides: (v) => [
      ...preeDew(v, '4s'),
      set('spec.events', REMOVE, 'event steps are scenario 4; here they would shift the step indices the scenario checks, and need the Last9 Secret'),
    ],
  },
  /** Scenario 4b: a Job metric gating its step, with a Rollout-supplied arg. */
  'canary-demo': {
    example: 'rollouts-demo.yaml',
    overrides: (v) => [
      ...placed(v),
      set('spec.canary.steps[1].analysis.args', [{ name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } }],
        "the Rollout supplies the canary's pod-template hash, so the scenario can check the controller passes args into the Job"),
      set('spec.canary.steps[4].pause.duration', 3, PAUSE),
      set('spec.canary.steps[6].pause.duration', 3, PAUSE),
      set('spec.canary.steps[8].pause.duration', 3, PAUSE),
      set('spec.analysisTemplates[0].args[0].value', `http://canary-demo-canary.${v.namespace}.svc.cluster.local/`, "the canary Service in the scenario's namespace"),
      set('spec.analysisTemplates[0].args[1]', { name: 'canary-hash' }, 'declares the hash arg'),
      set('spec.analysisTemplates[0].metrics[0].provider.job.command',
        ['curl', '--fail', '--silent', '--show-error', '--max-time', '10', '--retry', '3', '--header', 'X-Canary-Hash: {{args.canary-hash}}', '{{args.url}}'],
        "the example's command, sending the hash too"),
    ],
  },
  /** Scenarios 6-8: blue-green, the preview's success share measured before and after promotion. */
  'checkout-blue-green': {
    example: 'jhandguy-sample-app-blue-green.yaml',
    overrides: (v) => [
      ...placed(v),
      set('spec.replicas', 2, 'two active pods and a one-pod preview keep the fake node small'),
      ...measuredByE2ePrometheus(v),
      set('spec.blueGreen.scaleDownDelaySeconds', 20, 'the old pods outlive the post-promotion analysis (scenario 8 switches back to them), then go within the scenario'),
      set('spec.blueGreen.abortScaleDownDelaySeconds', 5, 'the aborted preview is scaled down within the scenario, not after the default 30s'),
      set('spec.analysisTemplates[0].metrics[0].initialDelay', '10s', 'the first measurement once the new pods have a full 10s window of series, instead of after 1m'),
    ],
  },
  /** Scenario 9: host-level Istio routing, the VirtualService canarykit creates weighted by the controller. */
  'istio-rollouts-demo': {
    example: 'istio-rollouts-demo.yaml',
    overrides: (v) => [
      ...placed(v),
      set('spec.canary.steps[3].pause.duration', 3, PAUSE),
      set('spec.canary.steps[5].pause.duration', 3, PAUSE),
      set('spec.canary.steps[7].pause.duration', 3, PAUSE),
    ],
  },
  /** Scenario 10: subset-level Istio routing, the DestinationRule's subsets labelled by the controller. */
  'istio-subsets': {
    example: 'istio-rollouts-demo.yaml',
    overrides: (v) => [
      ...placed(v),
      set('spec.trafficRouting.istio.destinationRule', {}, 'subset-level routing: the VirtualService routes to the root Service with a stable and a canary subset'),
    ],
  },
  /** Scenario 12: Istio header and mirror routes, which the controller adds to canarykit's VirtualService ahead of its route. */
  'istio-routes': {
    example: 'istio-rollouts-demo.yaml',
    overrides: (v) => [
      ...placed(v),
      set('spec.trafficRouting.managedRoutes', [{ name: 'canary-header' }, { name: 'mirror' }], 'the routes the steps below set and remove'),
      set('spec.canary.steps', [
        { setWeight: 20 },
        { setHeaderRoute: { name: 'canary-header', match: [{ headerName: 'X-Canary', headerValue: { exact: 'always' } }] } },
        { setMirrorRoute: { name: 'mirror', percentage: 50, match: [{ method: { exact: 'GET' } }] } },
        { pause: { duration: 5 } },
        { setHeaderRoute: { name: 'canary-header' } },
        { setMirrorRoute: { name: 'mirror' } },
        { setWeight: 60 },
        { pause: { duration: 3 } },
      ], 'header and mirror routes around a weight: the example\'s steps have none (the canary has a pod from the first setWeight on, which the controller needs before it adds managed routes)'),
    ],
  },
  /** Scenario 11: Gateway API routing by the real plugin: a header route, then weights on the HTTPRoute, then an abort. */
  storefront: {
    example: 'gateway-api-header-routing.yaml',
    overrides: (v) => [
      ...placed(v),
      set('spec.replicas', 2, 'two pods are enough to see the canary and stable ReplicaSets; fewer pods to fake'),
      set('spec.canary.steps[2].pause', { duration: '6s' }, 'the manual pause would need a promote; the scenario watches the header route for a few seconds'),
      set('spec.canary.steps[6].pause.duration', '8s', `${PAUSE}; long enough for scenario 11 to abort at weight 20`),
      set('spec.canary.steps[8].pause.duration', '5s', PAUSE),
      set('spec.canary.scaleDownDelaySeconds', 5, SCALE_DOWN),
    ],
  },
  /** Production 1: the HPA owns the replicas; the Rollout follows writes to its scale subresource, also during a canary. */
  'production-web': {
    example: 'production-web.yaml',
    overrides: (v) => [
      ...placed(v),
      set('spec.scheduling.priorityClassName', REMOVE, 'the e2e cluster has no PriorityClass; the Priority admission plugin would refuse the pods'),
      set('spec.canary.pause', 'manual', 'the canary waits at weight 10 while the scenario scales the Rollout, then is promoted'),
      set('spec.autoscaling.minReplicas', 2, 'fewer pods to fake; the HPA still raises the controller\'s default of 1'),
      set('spec.podDisruptionBudget.minAvailable', 1, 'below minReplicas, as the rule disruption-budget asks'),
    ],
  },
  /** Production 2: a Rollout takes over a running Deployment (workloadRef) and scales it down progressively. */
  'legacy-api': {
    example: 'migrate-deployment.yaml',
    overrides: (v) => [
      set('metadata.namespace', v.namespace, 'each scenario has a namespace of its own'),
    ],
  },
  /**
   * test/e2e/analysis.test.ts: the payments app judged against its stable pods (errorRatioVsStable),
   * the fixed 99% threshold measured beside it as a dry run, on the e2e Prometheus at test speed.
   */
  'vs-stable': {
    example: 'sample-app-vs-stable.yaml',
    overrides: (v) => [
      ...placed(v),
      set('spec.prometheus.address', v.prometheusUrl, 'the e2e Prometheus'),
      set('spec.serviceMonitor.interval', '1s', 'the e2e Prometheus scrapes every second; the rate window must span 4 scrape intervals'),
      set('spec.canary.steps[1].pause.duration', '10s', PAUSE),
      set('spec.canary.steps[3].pause.duration', '10s', PAUSE),
      set('spec.canary.steps[5].pause.duration', '10s', PAUSE),
      ...[0, 1].flatMap((i) => {
        const kind = i === 0 ? 'successRate' : 'errorRatioVsStable';
        return [
          set(`spec.analysisTemplates[0].metrics[${i}].interval`, '2s', 'measurements every 2s instead of every minute'),
          set(`spec.analysisTemplates[0].metrics[${i}].initialDelay`, '10s', "the first measurement once the canary's series fill a 10s window (the analysis starts with the canary)"),
          set(`spec.analysisTemplates[0].metrics[${i}].provider.${kind}.canary.namespace`, v.namespace, "the new revision's series carry the scenario's namespace"),
          set(`spec.analysisTemplates[0].metrics[${i}].provider.${kind}.window`, '10s', 'a rate over 10 one-second scrapes'),
        ];
      }),
      set('spec.analysisTemplates[0].metrics[1].provider.errorRatioVsStable.stable.namespace', v.namespace, "the stable revision's series carry the scenario's namespace"),
      set('spec.analysisTemplates[0].metrics[1].provider.errorRatioVsStable.tolerance', { absolute: 0.05 }, 'five points: the loopback series are exact, the scenario names the margin it expects'),
    ],
  },
  /**
   * test/e2e/analysis.test.ts 3.: two apps judged by the one shared template of examples/platform-analysis.yaml
   * (see LIBRARY_SCENARIO), each passing its own namespace and hashes.
   */
  'shared-cart': { example: 'cart-vs-stable.yaml', overrides: (v) => sharedTemplateUser(v) },
  'shared-orders': { example: 'orders-vs-stable.yaml', overrides: (v) => sharedTemplateUser(v) },
} satisfies Record<string, Scenario>;

/**
 * examples/platform-analysis.yaml at test speed on the e2e Prometheus: its template is applied once,
 * before the apps of scenario 3 that reference it.
 */
export const LIBRARY_SCENARIO: Scenario = {
  example: 'platform-analysis.yaml',
  overrides: (v) => [
    set('spec.prometheus.address', v.prometheusUrl, 'the e2e Prometheus'),
    set('spec.scrapeInterval', '1s', 'the e2e Prometheus scrapes every second; the rate window must span 4 scrape intervals'),
    set('spec.analysisTemplates[0].metrics[0].interval', '2s', 'measurements every 2s instead of every minute'),
    set('spec.analysisTemplates[0].metrics[0].initialDelay', '10s', "the first measurement once the canary's series fill a 10s window (the analysis starts with the canary)"),
    set('spec.analysisTemplates[0].metrics[0].provider.errorRatioVsStable.window', '10s', 'a rate over 10 one-second scrapes'),
  ],
};

/** The library's objects at test speed, as `canarykit synth` writes them. Throws with every issue if it has an error. */
export function synthLibraryScenario(vars: E2eVars): Synthesized {
  const { value, model, issues } = parseLibrary(applyOverrides(exampleSource(LIBRARY_SCENARIO.example), LIBRARY_SCENARIO.overrides(vars)));
  if (!value || issues.some((i) => i.severity === 'error')) {
    throw new Error(`examples/${LIBRARY_SCENARIO.example} + overlay:\n${issues.map((i) => formatIssue(i)).join('\n')}`);
  }
  const objects = synthLibrary(model!);
  return { objects, yaml: toYamlDocuments(objects) };
}

export type ScenarioName = keyof typeof SCENARIOS;

/** `a.b[2].c` -> ['a', 'b', 2, 'c']. */
export function pathSegments(path: string): (string | number)[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
}

/** A copy of `source` with the overrides applied (parents are created as needed). */
export function applyOverrides(source: unknown, overrides: readonly Override[]): Record<string, any> {
  const out = structuredClone(source) as Record<string, any>;
  for (const { path, value } of overrides) {
    const segments = pathSegments(path);
    const last = segments.pop()!;
    let parent: any = out;
    segments.forEach((seg, i) => {
      parent[seg] ??= typeof (segments[i + 1] ?? last) === 'number' ? [] : {};
      parent = parent[seg];
    });
    if (value === REMOVE) delete parent[last];
    else parent[last] = structuredClone(value);
  }
  return out;
}

/** The scenario's spec as data: its example with its overlay. */
export function scenarioSource(name: ScenarioName, vars: E2eVars): Record<string, any> {
  const scenario: Scenario = SCENARIOS[name];
  return applyOverrides(exampleSource(scenario.example), scenario.overrides(vars));
}

export interface Synthesized {
  /** Every object, in canarykit's order. */
  readonly objects: readonly KubeObject[];
  /** The same as one multi-document YAML stream (what `canarykit synth` writes). */
  readonly yaml: string;
}

/** Validates and synthesizes the scenario's spec. Throws with every issue if it has an error. */
export function synthScenario(name: ScenarioName, vars: E2eVars): Synthesized {
  const { value, issues } = parseDocument(scenarioSource(name, vars));
  if (!value || issues.some((i) => i.severity === 'error')) {
    throw new Error(`${name} (examples/${SCENARIOS[name].example} + overlay):\n${issues.map((i) => formatIssue(i)).join('\n')}`);
  }
  const [app] = synthDocuments([value]);
  return { objects: app.objects, yaml: toYamlDocuments(app.objects) };
}
