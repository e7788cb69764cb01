/** The controller's triggers and the Rollout fields a payload may read, pinned to argo-rollouts v1.9.1 and its CRD. */
import { fieldExpression, jsonBody, ROLLOUT_FIELDS, subscriptionAnnotation, triggerOfReason, TRIGGERS } from '../../src/analysis/notifications';
import { loadCrdSchema } from '../support/schema';

test('trigger names are the controller\'s: translateReasonToTrigger over the event reasons it records on a Rollout', () => {
  // Pairs as the Go function maps them (record.go; its regexes run one after the other).
  expect(Object.fromEntries(['RolloutStepCompleted', 'AnalysisRunFailed', 'TrafficWeightUpdated', 'ScalingReplicaSet', 'RolloutNotCompleted', 'AnalysisRunInconclusive']
    .map((r) => [r, triggerOfReason(r)]))).toEqual({
    RolloutStepCompleted: 'on-rollout-step-completed',
    AnalysisRunFailed: 'on-analysis-run-failed',
    TrafficWeightUpdated: 'on-traffic-weight-updated',
    ScalingReplicaSet: 'on-scaling-replica-set',
    RolloutNotCompleted: 'on-rollout-not-completed',
    AnalysisRunInconclusive: 'on-analysis-run-inconclusive',
  });
  // The triggers of the controller's own notification catalogue (manifests/notifications) are among them.
  for (const name of ['on-analysis-run-error', 'on-analysis-run-failed', 'on-analysis-run-running', 'on-rollout-aborted', 'on-rollout-completed', 'on-rollout-paused', 'on-rollout-step-completed', 'on-rollout-updated', 'on-scaling-replica-set']) {
    expect(TRIGGERS.map((x) => x.name)).toContain(name);
  }
});

test('every Rollout field a payload may read exists in the Rollout CRD (metadata: ObjectMeta)', () => {
  const schema = loadCrdSchema('argoproj.io', 'Rollout');
  const missing = Object.keys(ROLLOUT_FIELDS).filter((path) => {
    const [, root, ...rest] = path.split('.');
    if (root === 'metadata') return !['name', 'namespace', 'generation'].includes(rest.join('.'));
    let node = schema.properties[root];
    for (const key of rest) node = node?.properties?.[key];
    return node === undefined;
  });
  expect(missing).toEqual([]);
});

test('payload values: constants JSON-encoded here, Rollout fields by the engine\'s toJson over dig (null when not set yet)', () => {
  expect(fieldExpression('rollout.status.canary.weights.canary.weight')).toBe('(dig "status" "canary" "weights" "canary" "weight" nil .rollout)');
  expect(jsonBody([['a "b"', { value: 'x\ny' }], ['w', { expr: '(dig "status" nil .rollout)' }]]))
    .toBe('{\n  "a \\"b\\"": "x\\ny",\n  "w": {{ toJson (dig "status" nil .rollout) }}\n}\n');
});

test('one subscriptions annotation: each trigger to its services, recipients per sink kind', () => {
  const annotation = subscriptionAnnotation({
    name: 'web', namespace: 'shop',
    sinks: [
      { kind: 'slack', name: 'chat', slack: { tokenSecretKey: 't', channels: ['a', 'b'] } },
      { kind: 'webhook', name: 'hook', webhook: { url: 'https://h.example.com' } },
    ],
    subscriptions: [{ trigger: 'on-rollout-aborted', sinks: ['chat', 'hook'] }],
  });
  expect(Object.keys(annotation)).toEqual(['notifications.argoproj.io/subscriptions']);
  expect(JSON.parse(annotation['notifications.argoproj.io/subscriptions'])).toEqual([{
    trigger: ['on-rollout-aborted'],
    destinations: [{ service: 'ck_shop_web_chat', recipients: ['a', 'b'] }, { service: 'ck_shop_web_hook', recipients: ['hook'] }],
  }]);
});
