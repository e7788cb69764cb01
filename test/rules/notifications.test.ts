/** The notification rules: triggers the controller fires, sinks that exist, credentials only by Secret key, payload fields of the Rollout, JSON bodies. */
import { specDocument, specIssues } from '../support/specs';
import { closest, sampleRender } from '../../src/rules/notifications';
import { appNotificationConfig } from '../../src/analysis/notifications';
import { resolve } from '../../src/model/resolve';

type Doc = Record<string, any>;

/** Valid: an NGINX canary with a background analysis, domain events and a webhook sink. */
function base(): Doc {
  return specDocument({
    image: 'example/web:1.2.3',
    ingress: { host: 'web.example.com' },
    trafficRouting: { nginx: {} },
    prometheus: { address: 'http://prometheus.monitoring:9090' },
    canary: { steps: [{ setWeight: 20 }, { pause: { duration: '1m' } }, { setWeight: 60 }], analysis: { templates: ['rate'] } },
    analysisTemplates: [{ name: 'rate', metrics: [{ name: 'errors', successCondition: 'len(result) == 0 || result[0] < 0.01', provider: { prometheus: { query: 'vector(0)' } } }] }],
    events: { sink: { url: 'https://events.example.com/x', tokenSecretRef: { name: 'events', key: 'token' } } },
    notifications: {
      sinks: {
        deploys: { webhook: { url: 'https://hooks.example.com/rollouts', token: { secretKey: 'deploys-token' }, fields: { team: 'checkout', hash: { from: 'rollout.status.currentPodHash' } } } },
        chat: { slack: { tokenSecretKey: 'slack-token', channels: ['deploys'] } },
      },
      subscriptions: [
        { triggers: ['on-rollout-step-completed', 'on-rollout-aborted'], sinks: ['deploys', 'chat'] },
        { triggers: ['on-analysis-run-failed', 'on-traffic-weight-updated'], sinks: ['chat'] },
      ],
    },
  });
}

function issues(change: (d: Doc) => void, severity: 'error' | 'warning' = 'error'): string[] {
  const d = base();
  change(d);
  return specIssues(d, severity);
}

test('the base spec is valid and warning-free', () => {
  expect(issues(() => undefined)).toEqual([]);
  expect(issues(() => undefined, 'warning')).toEqual([]);
});

test('unknown triggers are errors with the closest trigger; subscriptions name sinks that exist', () => {
  expect(issues((d) => {
    d.spec.notifications.subscriptions[0].triggers = ['on-rollout-step-complete', 'on-deploy'];
    d.spec.notifications.subscriptions[1].sinks = ['chta', 'nowhere'];
  })).toEqual([
    'spec.notifications.subscriptions[0].triggers[0]: "on-rollout-step-complete" is not a trigger of the Argo Rollouts controller (v1.9.1); did you mean "on-rollout-step-completed"? (triggers: on-rollout-updated, on-rollout-step-completed, on-rollout-paused, on-rollout-resumed, on-traffic-weight-updated, on-scaling-replica-set, on-analysis-run-pending, on-analysis-run-running, on-analysis-run-successful, on-analysis-run-inconclusive, on-analysis-run-failed, on-analysis-run-error, on-rollout-aborted, on-rollout-completed, on-rollout-not-completed)',
    'spec.notifications.subscriptions[0].triggers[1]: "on-deploy" is not a trigger of the Argo Rollouts controller (v1.9.1) (triggers: on-rollout-updated, on-rollout-step-completed, on-rollout-paused, on-rollout-resumed, on-traffic-weight-updated, on-scaling-replica-set, on-analysis-run-pending, on-analysis-run-running, on-analysis-run-successful, on-analysis-run-inconclusive, on-analysis-run-failed, on-analysis-run-error, on-rollout-aborted, on-rollout-completed, on-rollout-not-completed)',
    'spec.notifications.subscriptions[1].sinks[0]: "chta" is not a sink of notifications.sinks; did you mean "chat"?',
    'spec.notifications.subscriptions[1].sinks[1]: "nowhere" is not a sink of notifications.sinks',
  ]);
  expect(issues((d) => { d.spec.notifications.sinks.idle = { teams: { webhookUrlSecretKey: 'teams-url' } }; }, 'warning')).toEqual([
    'warning: spec.notifications.sinks.idle: no subscription sends to this sink',
  ]);
});

test('subscriptions no trigger serves: step events without canary steps, weight events without a router, analysis events without analysis', () => {
  expect(issues((d) => {
    delete d.spec.trafficRouting;
    delete d.spec.canary.analysis;
    delete d.spec.analysisTemplates;
    delete d.spec.events;
    d.spec.notifications.subscriptions[0].sinks = ['deploys'];
  })).toEqual([
    'spec.notifications.subscriptions[1].triggers[0]: "on-analysis-run-failed" never fires for this app: this app runs no analysis',
    'spec.notifications.subscriptions[1].triggers[1]: "on-traffic-weight-updated" never fires for this app: the controller fires it when a traffic router changes weights, and this app has no traffic router',
  ]);
  const blueGreen = base();
  delete blueGreen.spec.canary;
  delete blueGreen.spec.trafficRouting;
  blueGreen.spec.blueGreen = { prePromotionAnalysis: { templates: ['rate'] } };
  blueGreen.spec.notifications.subscriptions = [{ triggers: ['on-rollout-step-completed', 'on-rollout-completed'], sinks: ['deploys', 'chat'] }];
  expect(specIssues(blueGreen)).toEqual([
    'spec.notifications.subscriptions[0].triggers[0]: "on-rollout-step-completed" never fires for this app: the controller fires it for canary steps only, and this app is blue-green',
  ]);
});

test('the domain-events sink is spec.events\' own: only its abort stop event, and the name is reserved', () => {
  expect(issues((d) => { d.spec.notifications.subscriptions[1].sinks = ['domain-events']; })).toEqual([
    'spec.notifications.subscriptions[1].sinks[0]: the domain-events sink already gets on-rollout-aborted from spec.events; its start and stop events are sent by the event Jobs, so subscribe it to nothing else',
  ]);
  expect(issues((d) => { d.spec.events.onAbort = false; d.spec.notifications.subscriptions[1].sinks = ['domain-events']; })).toEqual([
    'spec.notifications.subscriptions[1].sinks[0]: "domain-events" needs spec.events with onAbort (the domain-events sink)',
  ]);
  expect(issues((d) => { d.spec.notifications.sinks['domain-events'] = { slack: { tokenSecretKey: 'x', channels: ['c'] } }; })).toEqual([
    'spec.notifications.sinks.domain-events: "domain-events" is the sink of spec.events (its stop event on abort); name this sink otherwise',
  ]);
});

test('credentials only by a key of the notification Secret: not in URLs, not in headers; no "$" the engine would read as a key', () => {
  expect(issues((d) => {
    const w = d.spec.notifications.sinks.deploys.webhook;
    w.url = 'https://user:pw@hooks.example.com/x?token=abc&team=a$b';
    w.headers = [{ name: 'X-Api-Key', value: 'k' }, { name: 'X-Env', value: 'prod\nX-Injected: 1' }, { name: 'X-Cost', value: '$5' }];
    w.token.prefix = 'Bearer $';
  })).toEqual([
    'spec.notifications.sinks.deploys.webhook.url: carries credentials: the URL is stored in a ConfigMap; use token.secretKey',
    'spec.notifications.sinks.deploys.webhook.url: query parameter "token" looks like a credential: the URL is stored in a ConfigMap; use token.secretKey',
    'spec.notifications.sinks.deploys.webhook.url: contains "$", which the notification engine reads as a reference to a key of its Secret',
    'spec.notifications.sinks.deploys.webhook.headers[0]: "X-Api-Key" looks like a credential: use token (a key of "argo-rollouts-notification-secret")',
    'spec.notifications.sinks.deploys.webhook.headers[1].value: contains a control character (newline?): it would split into another header',
    'spec.notifications.sinks.deploys.webhook.headers[2].value: contains "$", which the notification engine reads as a reference to a key of its Secret',
    'spec.notifications.sinks.deploys.webhook.token.prefix: contains "$", which the notification engine reads as a reference to a key of its Secret',
  ]);
  // The schema: keys the engine can reference, one sink kind per sink, Slack needs a channel.
  expect(issues((d) => {
    d.spec.notifications.sinks.deploys.webhook.token.secretKey = 'deploys.token';
    d.spec.notifications.sinks.chat = { slack: { tokenSecretKey: 'slack-token', channels: [] }, teams: { webhookUrlSecretKey: 'x' } };
  })).toEqual([
    'spec.notifications.sinks.deploys.webhook.token.secretKey: "deploys.token" is not a key the notification engine can reference (letters, digits, "_" and "-": it reads `$<key>` up to the first other character)',
    'spec.notifications.sinks.chat.slack.channels: [] must name at least one channel',
  ]);
  expect(issues((d) => { d.spec.notifications.sinks.chat = { slack: { tokenSecretKey: 'slack-token', channels: ['c'] }, teams: { webhookUrlSecretKey: 'x' } }; })).toEqual([
    'spec.notifications.sinks.chat: must set exactly one of webhook, slack, teams and email',
  ]);
});

test('payload fields read Rollout fields that exist; constants cannot run as template actions; reserved keys', () => {
  expect(issues((d) => {
    d.spec.notifications.sinks.deploys.webhook.fields = {
      hash: { from: 'rollout.status.currentPodHsh' },
      image: { from: 'rollout.spec.template.spec.containers' },
      note: 'from {{ .rollout.metadata.name }}',
      event: 'mine',
    };
  })).toEqual([
    'spec.notifications.sinks.deploys.webhook.fields.event: is set by canarykit in every event (event, app, namespace, phase, message, stepIndex, revision, timestamp)',
    'spec.notifications.sinks.deploys.webhook.fields.hash.from: "rollout.status.currentPodHsh" is not a field of the Rollout canarykit can read; did you mean "rollout.status.currentPodHash"? (fields: rollout.metadata.name, rollout.metadata.namespace, rollout.metadata.generation, rollout.spec.replicas, rollout.status.phase, rollout.status.message, rollout.status.abort, rollout.status.currentStepIndex, rollout.status.currentPodHash, rollout.status.stableRS, rollout.status.replicas, rollout.status.updatedReplicas, rollout.status.readyReplicas, rollout.status.availableReplicas, rollout.status.canary.weights.canary.weight, rollout.status.canary.weights.stable.weight, rollout.status.blueGreen.activeSelector, rollout.status.blueGreen.previewSelector)',
    expect.stringMatching(/^spec\.notifications\.sinks\.deploys\.webhook\.fields\.image\.from: "rollout\.spec\.template\.spec\.containers" is not a field of the Rollout canarykit can read \(fields: /),
    'spec.notifications.sinks.deploys.webhook.fields.note: contains "{{", which the notification template would run as a Go template action',
  ]);
});

test('every webhook body is JSON once the engine fills it in, whatever the constants hold', () => {
  const d = base();
  d.spec.notifications.sinks.deploys.webhook.fields = { quote: 'say "hi" \\ bye }} ]', 'odd "key"': 'x' };
  d.spec.events.sink.fields = { note: 'a "b" \\ c' };
  expect(specIssues(d)).toEqual([]);
  const config = appNotificationConfig(resolve(d.metadata, d.spec).notifications!);
  const bodies = Object.values(config.templates).flatMap((tpl) => Object.values(tpl.webhook ?? {}).map((w) => w.body));
  expect(bodies).toHaveLength(3); // step-completed and aborted to deploys, aborted to domain-events
  for (const body of bodies) expect(() => JSON.parse(sampleRender(body))).not.toThrow();
  expect(JSON.parse(sampleRender(bodies[0]))).toMatchObject({ quote: 'say "hi" \\ bye }} ]', 'odd "key"': 'x' });
});

test('closest: a typo is matched, an unrelated name is not', () => {
  expect(closest('on-rollout-abort', ['on-rollout-aborted', 'on-rollout-paused'])).toBe('on-rollout-aborted');
  expect(closest('xyz', ['on-rollout-aborted'])).toBeUndefined();
});
