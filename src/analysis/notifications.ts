/**
 * Notifications through the Argo Rollouts controller's notification engine (argoproj/notifications-engine
 * v0.5.0 in argo-rollouts v1.9.1): what an app subscribes to (one `notifications.argoproj.io/subscriptions`
 * annotation on its Rollout) and the entries of the controller's shared `argo-rollouts-notification-configmap`
 * that serve it (services, templates, triggers), merged across apps by `targets/notifications.ts`.
 *
 * How the engine is driven (utils/record/record.go): for every event the controller records on a Rollout
 * it runs the trigger `on-<reason in kebab case>` once per destination the Rollout subscribes to it, and
 * for a condition without `when` renders all its templates into one notification for that destination.
 * The ConfigMap is one per controller, so a trigger's one condition sends every app's template: each
 * template's webhook section is keyed by its app's service, and a webhook service sends only its own
 * section, while the message (Slack, Teams, email) is the same text in every app's template of a
 * trigger, rendered from the Rollout at hand. A `when` per app would not do: the engine's own
 * controller, which argo-rollouts also runs, sends every condition that holds whenever a subscribed
 * Rollout changes (once per condition), so each trigger would fire as soon as the Rollout is created
 * (seen in the e2e run); without `when` it evaluates to false there and only the event path sends.
 *
 * Names are `ck_<namespace>_<app>_<sink or trigger>`: `_` appears in no namespace, app or sink name, so
 * two apps never share one, and the subscription annotation has no key-length limit on them.
 */
import type * as t from '../document/types';
import { DEFAULTS } from '../document/defaults';
import type { EventStage, ResolvedSink } from './events';

const N = DEFAULTS.notifications;

export const SUBSCRIPTIONS_ANNOTATION = 'notifications.argoproj.io/subscriptions';
/** The sink name under which `spec.events` sends its stop event on abort. */
export const DOMAIN_EVENTS_SINK = 'domain-events';

/** What a trigger needs of the app for the controller ever to fire it. */
export type TriggerNeed = 'canary' | 'analysis' | 'trafficRouting';

export interface TriggerInfo {
  readonly name: string;
  /** The event reason the controller records (pkg conditions / rollout/*.go). */
  readonly reason: string;
  readonly needs?: TriggerNeed;
  /** Plain-text message (Go template over `.rollout`) for Slack, Teams and email. */
  readonly message: string;
}

/** The controller's trigger name for an event reason: record.go translateReasonToTrigger, ported. */
export function triggerOfReason(reason: string): string {
  const first = reason.replace(/(.)([A-Z][a-z]+)/g, '$1-$2');
  return `on-${first.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;
}

const WHO = '{{ .rollout.metadata.namespace }}/{{ .rollout.metadata.name }}';
const STEP = '{{ add (int .rollout.status.currentStepIndex) 1 }}';
const info = (reason: string, message: string, needs?: TriggerNeed): TriggerInfo => ({ name: triggerOfReason(reason), reason, message, needs });

/**
 * Every trigger the v1.9.1 controller fires for a Rollout (the reasons it records with `EventReason` on
 * the Rollout object), in lifecycle order.
 */
export const TRIGGERS: readonly TriggerInfo[] = [
  info('RolloutUpdated', `Rollout ${WHO}: a new revision is rolling out.`),
  info('RolloutStepCompleted', `Rollout ${WHO}: step ${STEP} completed.`, 'canary'),
  info('RolloutPaused', `Rollout ${WHO} is paused.`),
  info('RolloutResumed', `Rollout ${WHO} resumed.`),
  info('TrafficWeightUpdated', `Rollout ${WHO}: the canary weight changed.`, 'trafficRouting'),
  info('ScalingReplicaSet', `Rollout ${WHO} scaled a ReplicaSet.`),
  info('AnalysisRunPending', `Rollout ${WHO}: an analysis run is pending.`, 'analysis'),
  info('AnalysisRunRunning', `Rollout ${WHO}: an analysis run is running.`, 'analysis'),
  info('AnalysisRunSuccessful', `Rollout ${WHO}: an analysis run succeeded.`, 'analysis'),
  info('AnalysisRunInconclusive', `Rollout ${WHO}: an analysis run was inconclusive.`, 'analysis'),
  info('AnalysisRunFailed', `Rollout ${WHO}: an analysis run failed.`, 'analysis'),
  info('AnalysisRunError', `Rollout ${WHO}: an analysis run errored.`, 'analysis'),
  info('RolloutAborted', `Rollout ${WHO} was aborted: {{ .rollout.status.message }}`),
  info('RolloutCompleted', `Rollout ${WHO} completed: the new revision is stable.`),
  info('RolloutNotCompleted', `Rollout ${WHO} is rolling out again.`),
];
export const TRIGGER_NAMES: ReadonlySet<string> = new Set(TRIGGERS.map((x) => x.name));

/**
 * Fields of the Rollout a webhook payload may read (`{from: rollout.<path>}`), each checked against the
 * Rollout CRD by the tests. The engine sees the Rollout as JSON, so a field the controller has not set
 * yet is absent and sends `null`.
 */
export const ROLLOUT_FIELDS: Readonly<Record<string, string>> = {
  'rollout.metadata.name': 'name',
  'rollout.metadata.namespace': 'namespace',
  'rollout.metadata.generation': 'generation',
  'rollout.spec.replicas': 'desired replicas',
  'rollout.status.phase': 'Healthy, Progressing, Paused, Degraded',
  'rollout.status.message': 'why the phase (e.g. the abort reason)',
  'rollout.status.abort': 'whether the update was aborted',
  'rollout.status.currentStepIndex': 'index of the current canary step',
  'rollout.status.currentPodHash': 'pod-template hash of the new revision',
  'rollout.status.stableRS': 'pod-template hash of the stable revision',
  'rollout.status.replicas': 'pods',
  'rollout.status.updatedReplicas': 'pods of the new revision',
  'rollout.status.readyReplicas': 'ready pods',
  'rollout.status.availableReplicas': 'available pods',
  'rollout.status.canary.weights.canary.weight': 'traffic weight of the canary (with a traffic router)',
  'rollout.status.canary.weights.stable.weight': 'traffic weight of the stable pods (with a traffic router)',
  'rollout.status.blueGreen.activeSelector': 'pod-template hash the active Service selects',
  'rollout.status.blueGreen.previewSelector': 'pod-template hash the preview Service selects',
};

/** The fixed payload of every webhook event, before the sink's own fields. */
const BASE_PAYLOAD: readonly [string, string][] = [
  ['app', 'rollout.metadata.name'],
  ['namespace', 'rollout.metadata.namespace'],
  ['phase', 'rollout.status.phase'],
  ['message', 'rollout.status.message'],
  ['stepIndex', 'rollout.status.currentStepIndex'],
  ['revision', 'rollout.status.currentPodHash'],
];

export function notificationPrefix(app: { name: string; namespace: string }): string {
  return `ck_${app.namespace}_${app.name}`;
}
export function serviceName(app: { name: string; namespace: string }, sink: string): string {
  return `${notificationPrefix(app)}_${sink}`;
}
export function templateName(app: { name: string; namespace: string }, trigger: string): string {
  return `${notificationPrefix(app)}_${trigger}`;
}

/** A key the engine reads from `argo-rollouts-notification-secret`, and what puts it there. */
export interface SecretKeyUse {
  readonly key: string;
  /** The service (ConfigMap key) that references it. */
  readonly usedBy: string;
  /** For the domain-events token: the app's Secret whose value it must hold. */
  readonly copyOf?: { readonly namespace: string; readonly name: string; readonly key: string };
}

export type ResolvedNotificationSink =
  | { readonly kind: 'webhook'; readonly name: string; readonly webhook: t.WebhookSinkSpec }
  | { readonly kind: 'slack'; readonly name: string; readonly slack: NonNullable<t.NotificationSinkSpec['slack']> }
  | { readonly kind: 'teams'; readonly name: string; readonly teams: NonNullable<t.NotificationSinkSpec['teams']> }
  | { readonly kind: 'email'; readonly name: string; readonly email: NonNullable<t.NotificationSinkSpec['email']> }
  | { readonly kind: 'domainEvents'; readonly name: string; readonly sink: ResolvedSink; readonly stages: readonly EventStage[]; readonly tokenSecretRef?: t.KeyRef };

export interface ResolvedNotifications {
  readonly name: string;
  readonly namespace: string;
  /** Sinks in use, by name. */
  readonly sinks: readonly ResolvedNotificationSink[];
  /** Trigger -> sink names, triggers and sinks sorted. */
  readonly subscriptions: readonly { readonly trigger: string; readonly sinks: readonly string[] }[];
}

/**
 * The app's notifications: the written subscriptions plus, with `events.onAbort`, `on-rollout-aborted`
 * to the domain-events sink. Unknown sink names are a rule error; they resolve to nothing.
 */
export function resolveNotifications(
  app: { name: string; namespace: string }, spec: t.CanaryAppSpec, domainEvents?: { sink: ResolvedSink; stages: readonly EventStage[] },
): ResolvedNotifications | undefined {
  const byTrigger = new Map<string, Set<string>>();
  const add = (trigger: string, sink: string) => byTrigger.set(trigger, (byTrigger.get(trigger) ?? new Set()).add(sink));
  const written = spec.notifications;
  const sinks = new Map<string, ResolvedNotificationSink>();
  for (const [name, s] of Object.entries(written?.sinks ?? {})) {
    const sink: ResolvedNotificationSink | undefined = s.webhook ? { kind: 'webhook', name, webhook: s.webhook }
      : s.slack ? { kind: 'slack', name, slack: s.slack }
        : s.teams ? { kind: 'teams', name, teams: s.teams }
          : s.email ? { kind: 'email', name, email: s.email } : undefined;
    if (sink) sinks.set(name, sink);
  }
  if (domainEvents && spec.events && spec.events.onAbort !== false) {
    sinks.set(DOMAIN_EVENTS_SINK, { kind: 'domainEvents', name: DOMAIN_EVENTS_SINK, ...domainEvents, tokenSecretRef: spec.events.sink.tokenSecretRef });
    add('on-rollout-aborted', DOMAIN_EVENTS_SINK);
  }
  for (const sub of written?.subscriptions ?? []) {
    for (const trigger of sub.triggers) for (const sink of sub.sinks) if (sinks.has(sink)) add(trigger, sink);
  }
  if (byTrigger.size === 0) return undefined;
  const used = new Set([...byTrigger.values()].flatMap((s) => [...s]));
  return {
    name: app.name,
    namespace: app.namespace,
    sinks: [...sinks.values()].filter((s) => used.has(s.name)).sort((a, b) => cmp(a.name, b.name)),
    subscriptions: [...byTrigger].sort(([a], [b]) => cmp(a, b)).map(([trigger, s]) => ({ trigger, sinks: [...s].sort(cmp) })),
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Recipients of a sink: Slack channels, email addresses; a webhook or Teams sink has one, its own name. */
function recipients(sink: ResolvedNotificationSink): readonly string[] {
  if (sink.kind === 'slack') return sink.slack.channels;
  if (sink.kind === 'email') return sink.email.to;
  return [sink.name];
}

/**
 * The Rollout's subscription annotation: one YAML list (subscriptions/annotations.go), so service names
 * are not limited by an annotation key's 63-character name part. Built as JSON, which is YAML.
 */
export function subscriptionAnnotation(n: ResolvedNotifications): Record<string, string> {
  const sinks = new Map(n.sinks.map((s) => [s.name, s]));
  const list = n.subscriptions.map((sub) => ({
    trigger: [sub.trigger],
    destinations: sub.sinks.map((name) => ({ service: serviceName(n, name), recipients: [...recipients(sinks.get(name)!)] })),
  }));
  return { [SUBSCRIPTIONS_ANNOTATION]: JSON.stringify(list) };
}

/** The engine's expression for a Rollout field: `dig` returns nil (JSON null) for a field not set yet. */
export function fieldExpression(path: string): string {
  const keys = path.split('.').slice(1).map((k) => JSON.stringify(k)).join(' ');
  return `(dig ${keys} nil .rollout)`;
}

/**
 * A JSON object body: keys and constants JSON-encoded here, every value read at send time encoded by the
 * engine's own `toJson`, so the body is JSON whatever the values are. Constants never contain `{{` (a
 * rule refuses it), so the template has no actions but these.
 */
export function jsonBody(entries: readonly (readonly [string, { readonly value: string } | { readonly expr: string } | { readonly raw: string }])[]): string {
  const parts = entries.map(([key, v]) => `${JSON.stringify(key)}: ${'value' in v ? JSON.stringify(v.value) : 'expr' in v ? `{{ toJson ${v.expr} }}` : v.raw}`);
  return `{\n  ${parts.join(',\n  ')}\n}\n`;
}

/** Payload of a webhook sink for one trigger. */
export function webhookBody(trigger: string, webhook: t.WebhookSinkSpec): string {
  const fields = Object.entries(webhook.fields ?? {}).map(([k, v]) => [k, typeof v === 'string' ? { value: v } : { expr: fieldExpression(v.from) }] as const);
  return jsonBody([
    ['event', { value: trigger }],
    ...BASE_PAYLOAD.map(([k, path]) => [k, { expr: fieldExpression(path) }] as const),
    ['timestamp', { expr: '((call .time.Now).UTC.Format "2006-01-02T15:04:05Z")' }],
    ...fields,
  ]);
}

/**
 * The domain event's stop payload: the stage is found from the step index the rollout stopped at; each
 * branch emits a JSON string encoded here, so the value is JSON in every branch.
 */
export function domainEventBody(sink: ResolvedSink, inOrder: readonly EventStage[]): string {
  const stages = [...inOrder].reverse();
  const eventName = stages.map((s, i) => `{{ ${i === 0 ? 'if' : 'else if'} ge (int .rollout.status.currentStepIndex) ${s.index} }}${JSON.stringify(s.event)}`).join('')
    + (stages.length > 0 ? '{{ else }}""{{ end }}' : '""');
  return jsonBody([
    ['timestamp', { expr: '((call .time.Now).UTC.Format "2006-01-02T15:04:05Z")' }],
    ['event_name', { raw: eventName }],
    ['event_state', { value: 'stop' }],
    ...Object.entries(sink.fields).map(([k, v]) => [k, { value: v }] as const),
  ]);
}

/** Key of the notification Secret the domain-events token is copied to. */
export function domainEventsTokenKey(app: { name: string; namespace: string }): string {
  return `${serviceName(app, DOMAIN_EVENTS_SINK)}_token`;
}

/** One app's entries of the notification ConfigMap, and the Secret keys they read. */
export interface AppNotificationConfig {
  /** `service.<type>.<name>` -> the service's settings. */
  readonly services: Record<string, Record<string, unknown>>;
  /** `template.<name>` -> the template. */
  readonly templates: Record<string, NotificationTemplate>;
  /** Trigger -> this app's template for it. */
  readonly triggerTemplates: Record<string, string>;
  readonly secretKeys: readonly SecretKeyUse[];
}

/** A template of the engine (services.Notification): the parts canarykit fills in. */
export interface NotificationTemplate {
  readonly message: string;
  readonly email?: { readonly subject: string };
  readonly teams?: { readonly title: string };
  readonly webhook?: Readonly<Record<string, { readonly method: string; readonly body: string }>>;
}

function headerValue(prefix: string, key: string): string {
  return `${prefix}$${key}`;
}

export function appNotificationConfig(n: ResolvedNotifications): AppNotificationConfig {
  const services: Record<string, Record<string, unknown>> = {};
  const secretKeys: SecretKeyUse[] = [];
  for (const sink of n.sinks) {
    const name = serviceName(n, sink.name);
    let type: string;
    let config: Record<string, unknown>;
    const uses = (key: string, copyOf?: SecretKeyUse['copyOf']) => secretKeys.push({ key, usedBy: `service.${type}.${name}`, ...(copyOf ? { copyOf } : {}) });
    switch (sink.kind) {
      case 'webhook': {
        type = 'webhook';
        const w = sink.webhook;
        const token = w.token;
        config = {
          url: w.url,
          headers: [
            { name: 'Content-Type', value: 'application/json' },
            ...(w.headers ?? []).map((h) => ({ name: h.name, value: h.value })),
            ...(token ? [{ name: token.header ?? N.tokenHeader, value: headerValue(token.prefix ?? N.tokenPrefix, token.secretKey) }] : []),
          ],
        };
        if (token) uses(token.secretKey);
        break;
      }
      case 'domainEvents': {
        type = 'webhook';
        const key = domainEventsTokenKey(n);
        const s = sink.sink;
        config = {
          url: s.url,
          headers: [
            { name: 'Content-Type', value: 'application/json' },
            ...s.headers.map((h) => ({ name: h.key, value: h.value })),
            ...(sink.tokenSecretRef ? [{ name: s.tokenHeader, value: headerValue(s.tokenPrefix, key) }] : []),
          ],
        };
        if (sink.tokenSecretRef) uses(key, { namespace: n.namespace, name: sink.tokenSecretRef.name, key: sink.tokenSecretRef.key });
        break;
      }
      case 'slack':
        type = 'slack';
        config = { token: `$${sink.slack.tokenSecretKey}` };
        uses(sink.slack.tokenSecretKey);
        break;
      case 'teams':
        type = 'teams';
        config = { recipientUrls: { [sink.name]: `$${sink.teams.webhookUrlSecretKey}` } };
        uses(sink.teams.webhookUrlSecretKey);
        break;
      case 'email': {
        type = 'email';
        const e = sink.email;
        config = {
          host: e.host,
          port: e.port ?? N.smtpPort,
          from: e.from,
          ...(e.usernameSecretKey ? { username: `$${e.usernameSecretKey}` } : {}),
          ...(e.passwordSecretKey ? { password: `$${e.passwordSecretKey}` } : {}),
        };
        if (e.usernameSecretKey) uses(e.usernameSecretKey);
        if (e.passwordSecretKey) uses(e.passwordSecretKey);
        break;
      }
    }
    services[`service.${type}.${name}`] = config;
  }

  const sinks = new Map(n.sinks.map((s) => [s.name, s]));
  const templates: Record<string, NotificationTemplate> = {};
  const triggerTemplates: Record<string, string> = {};
  const messages = new Map(TRIGGERS.map((x) => [x.name, x.message]));
  for (const sub of n.subscriptions) {
    const name = templateName(n, sub.trigger);
    const message = messages.get(sub.trigger) ?? `Rollout ${WHO}: ${sub.trigger}.`;
    const webhook: Record<string, { method: string; body: string }> = {};
    const kinds = new Set<string>();
    for (const sinkName of sub.sinks) {
      const sink = sinks.get(sinkName)!;
      kinds.add(sink.kind);
      if (sink.kind === 'webhook') webhook[serviceName(n, sink.name)] = { method: sink.webhook.method ?? N.method, body: webhookBody(sub.trigger, sink.webhook) };
      if (sink.kind === 'domainEvents') webhook[serviceName(n, sink.name)] = { method: sink.sink.method, body: domainEventBody(sink.sink, sink.stages) };
    }
    templates[`template.${name}`] = {
      message,
      ...(kinds.has('email') ? { email: { subject: message } } : {}),
      ...(kinds.has('teams') ? { teams: { title: `${sub.trigger}: {{ .rollout.metadata.name }}` } } : {}),
      ...(Object.keys(webhook).length > 0 ? { webhook } : {}),
    };
    triggerTemplates[sub.trigger] = name;
  }
  return { services, templates, triggerTemplates, secretKeys };
}
