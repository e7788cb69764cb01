/**
 * The blue-green strategy's rules (ValidateRolloutStrategyBlueGreen, and what the controller ignores),
 * each case breaking one thing of a valid document, with the exact messages; and what a blue-green spec
 * resolves to where it differs from a canary (events around the preview phase).
 */
import { parseDocument } from '../../src/load/parse';
import { specIssues } from '../support/specs';

type Doc = Record<string, any>;

/** Valid: a preview host, and a pre-promotion analysis on the preview pods. */
function base(): Doc {
  return {
    apiVersion: 'canarykit.dev/v1alpha1',
    kind: 'CanaryApp',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      image: 'example/web:1.2.3',
      replicas: 3,
      ingress: { host: 'web.example.com', previewHost: 'preview.web.example.com' },
      prometheus: { address: 'http://prometheus.monitoring:9090' },
      blueGreen: {
        previewReplicaCount: 1,
        prePromotionAnalysis: { templates: ['errors'], args: [{ name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } }] },
      },
      analysisTemplates: [{
        name: 'errors',
        args: [{ name: 'hash' }],
        metrics: [{ name: 'errors', interval: '30s', count: 4, successCondition: 'len(result) == 0 || result[0] < 0.01', provider: { prometheus: { query: 'sum(rate(errors_total{rollouts_pod_template_hash="{{args.hash}}"}[1m]))' } } }],
      }],
    },
  };
}

function issues(change: (d: Doc) => void, severity: 'error' | 'warning' = 'error'): string[] {
  const doc = base();
  change(doc);
  return specIssues(doc, severity);
}

const bg = (d: Doc) => d.spec.blueGreen;

describe('blue-green rules (exact messages)', () => {
  test('the base document is valid and has no warnings', () => {
    expect(issues(() => undefined)).toEqual([]);
    expect(issues(() => undefined, 'warning')).toEqual([]);
  });
  test('exactly one strategy', () => {
    expect(issues((d) => { d.spec.canary = { weights: [10] }; })).toEqual(['spec: must set exactly one of canary and blueGreen (the strategy)']);
    expect(issues((d) => { delete d.spec.blueGreen; })).toEqual(['spec: must set exactly one of canary and blueGreen (the strategy)']);
  });
  test('active, preview and root Services must differ', () => {
    expect(issues((d) => { d.spec.services = { preview: { name: 'web-active' } }; })).toEqual([
      'spec.services.preview.name: "web-active" is already the name of spec.services.active.name; the active, preview and root Services must differ',
    ]);
    expect(issues((d) => { d.spec.services = { active: { name: 'web' } }; })).toEqual([
      'spec.services.root.name: "web" is already the name of spec.services.active.name; the active, preview and root Services must differ',
    ]);
  });
  test('autoPromotionSeconds is ignored when autoPromotionEnabled is false', () => {
    expect(issues((d) => { Object.assign(bg(d), { autoPromotionEnabled: false, autoPromotionSeconds: 30 }); })).toEqual([
      'spec.blueGreen.autoPromotionSeconds: is ignored when autoPromotionEnabled is false (the controller waits for a promotion); remove one of them',
    ]);
    expect(issues((d) => { Object.assign(bg(d), { autoPromotionEnabled: true, autoPromotionSeconds: 30 }); })).toEqual([]);
  });
  test('previewReplicaCount at most replicas, and at least 1', () => {
    expect(issues((d) => { bg(d).previewReplicaCount = 4; })).toEqual([
      'spec.blueGreen.previewReplicaCount: 4 is more than replicas (3); the preview would shrink at promotion',
    ]);
    expect(issues((d) => { bg(d).previewReplicaCount = 0; })).toEqual(['spec.blueGreen.previewReplicaCount: 0 must be >= 1']);
  });
  test('scaleDownDelayRevisionLimit at most revisionHistoryLimit (the controller default 10 included)', () => {
    expect(issues((d) => { bg(d).scaleDownDelayRevisionLimit = 11; })).toEqual([
      'spec.blueGreen.scaleDownDelayRevisionLimit: 11 is more than revisionHistoryLimit (10); the controller rejects the Rollout',
    ]);
    expect(issues((d) => { bg(d).scaleDownDelayRevisionLimit = 3; d.spec.revisionHistoryLimit = 2; })).toEqual([
      'spec.blueGreen.scaleDownDelayRevisionLimit: 3 is more than revisionHistoryLimit (2); the controller rejects the Rollout',
    ]);
  });
  test('canary fields are refused with blue-green, and blue-green fields with a canary', () => {
    expect(issues((d) => { d.spec.services = { stable: {} }; d.spec.trafficRouting = { nginx: {} }; })).toEqual([
      'spec.services.stable: is a canary Service; blue-green routes through services.active and services.preview',
      'spec.trafficRouting: ["nginx"] routes canary weights; blue-green switches the active Service instead, so it takes no traffic router',
    ]);
    expect(issues((d) => { delete d.spec.blueGreen; d.spec.canary = { weights: [10] }; d.spec.services = { preview: {} }; })).toEqual([
      'spec.services.preview: is a blue-green Service; the canary strategy routes through services.stable and services.canary',
      'spec.ingress.previewHost: applies to blueGreen; a canary has no preview Service (route a header to the canary with trafficRouting.nginx.additionalIngressAnnotations)',
    ]);
  });
  test('promotion analyses are checked like step analyses: templates exist, args supplied, metrics end', () => {
    expect(issues((d) => { bg(d).postPromotionAnalysis = { templates: ['nope'] }; })).toEqual([
      'spec.blueGreen.postPromotionAnalysis.templates[0]: "nope" is not defined in spec.analysisTemplates (defined: errors); use { name, cluster: true } for an existing ClusterAnalysisTemplate',
    ]);
    expect(issues((d) => { delete bg(d).prePromotionAnalysis.args; })).toEqual([
      'spec.blueGreen.prePromotionAnalysis.args: template "errors" needs arg "hash", which has no default and is not supplied',
    ]);
    expect(issues((d) => { delete d.spec.analysisTemplates[0].metrics[0].count; })).toEqual([
      'spec.blueGreen.prePromotionAnalysis.templates: template "errors" metric "errors" has an interval but no count, so it runs indefinitely; a step analysis must end (set count)',
    ]);
  });
  test('reserved labels in preview and active metadata', () => {
    expect(issues((d) => { bg(d).previewMetadata = { labels: { 'app.kubernetes.io/name': 'other' } }; })).toEqual([
      'spec.blueGreen.previewMetadata.labels["app.kubernetes.io/name"]: is the selector label canarykit sets; pods relabelled would leave the Rollout\'s selector',
    ]);
  });
});

describe('blue-green with domain events', () => {
  test('one stage (the preview): an event name needs no {weight}', () => {
    const doc = base();
    doc.spec.events = { name: 'deploy-web', sink: { url: 'https://events.example.com/v1', tokenSecretRef: { name: 'events', key: 'token' } } };
    expect(parseDocument(doc).issues).toEqual([]);
  });
  test('start as the preview is analysed (pre-promotion), stop once it is promoted (post-promotion)', () => {
    const doc = base();
    doc.spec.events = { sink: { url: 'https://events.example.com/v1', tokenSecretRef: { name: 'events', key: 'token' } } };
    const { model, issues: found } = parseDocument(doc);
    expect(found).toEqual([]);
    const strategy = model!.strategy;
    if (strategy.kind !== 'blueGreen') throw new Error('not blue-green');
    const event = (state: string) => [{ name: 'event-name', value: 'web-preview' }, { name: 'event-state', value: state }];
    expect(strategy.prePromotionAnalysis).toEqual({
      templates: [{ templateName: 'web-errors' }, { templateName: 'web-domain-event' }],
      args: [{ name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } }, ...event('start')],
    });
    expect(strategy.postPromotionAnalysis).toEqual({ templates: [{ templateName: 'web-domain-event' }], args: event('stop') });
  });
});
