/**
 * Domain events: a start event after each weight change and a stop event before the next one (and after
 * the last step), sent by one parameterised Job-metric template, plus a stop event on abort through
 * Argo Rollouts notifications.
 *
 * The Job's shell script is a constant: every value (URL, names, fields, token) arrives as an
 * environment variable, the body is built by jq from them and headers are piped to curl, so no value
 * is ever parsed as shell code and the token never appears in a manifest or on a command line. The stop
 * event on abort is a notification (analysis/notifications.ts).
 */
import type * as t from '../document/types';
import { specSteps } from '../document/normalize';
import { formatNumber } from './conditions';
import { DEFAULTS } from '../document/defaults';

const SINK = DEFAULTS.eventSink;
const LAST9 = DEFAULTS.last9;

/** Spec name of the generated template (object `<app>-domain-event`); reserved. */
export const EVENT_TEMPLATE = 'domain-event';
export const EVENT_METRIC = 'send-event';
/** Payload fields canarykit sets itself; `fields` may not override them. */
export const RESERVED_FIELDS = ['timestamp', 'event_name', 'event_state'] as const;

export interface ResolvedSink {
  readonly url: string;
  readonly method: 'POST' | 'PUT';
  readonly headers: readonly t.HeaderSpec[];
  readonly tokenSecretRef?: t.KeyRef;
  readonly tokenHeader: string;
  readonly tokenPrefix: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly retries: number;
}

export function last9Url(organization: string): string {
  return `https://app.last9.io/api/v4/organizations/${organization}/domain_events`;
}

/** The sink with the preset and defaults applied. A sink without a URL is a rule error; it resolves to "". */
export function resolveSink(meta: t.AppMetadata, namespace: string, sink: t.EventSinkSpec): ResolvedSink {
  const l9 = sink.last9;
  const presetFields: Record<string, string> = l9 ? {
    workspace: l9.workspace ?? meta.name,
    namespace: l9.namespace ?? namespace,
    entity_type: l9.entityType ?? LAST9.entityType,
    data_source_name: l9.dataSourceName,
  } : {};
  return {
    url: sink.url ?? (l9?.organization ? last9Url(l9.organization) : ''),
    method: sink.method ?? (l9 ? LAST9.method : SINK.method),
    headers: sink.headers ?? [],
    tokenSecretRef: sink.tokenSecretRef,
    tokenHeader: sink.tokenHeader ?? (l9 ? LAST9.tokenHeader : SINK.tokenHeader),
    tokenPrefix: sink.tokenPrefix ?? SINK.tokenPrefix,
    fields: { ...presetFields, ...(sink.fields ?? {}) },
    timeoutSeconds: sink.timeoutSeconds ?? SINK.timeoutSeconds,
    retries: sink.retries ?? SINK.retries,
  };
}

/**
 * The Job's script. Only validated integers are spliced in; `set -eu` makes a failed jq or an unset
 * variable fail the Job, and `--fail-with-body` makes an HTTP error fail it after the retries.
 */
export function eventScript(sink: Pick<ResolvedSink, 'timeoutSeconds' | 'retries'>): string {
  return [
    'set -eu',
    `body="$(jq -cn --arg timestamp "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg event_name "$EVENT_NAME" --arg event_state "$EVENT_STATE" --argjson fields "$EVENT_FIELDS" '{timestamp: $timestamp, event_name: $event_name, event_state: $event_state} + $fields')"`,
    '{',
    "  printf '%s\\n' 'Content-Type: application/json'",
    "  if [ -n \"${EVENT_HEADERS:-}\" ]; then printf '%s\\n' \"$EVENT_HEADERS\"; fi",
    "  if [ -n \"${EVENT_TOKEN:-}\" ]; then printf '%s: %s%s\\n' \"$EVENT_TOKEN_HEADER\" \"$EVENT_TOKEN_PREFIX\" \"$EVENT_TOKEN\"; fi",
    `} | curl --silent --show-error --fail-with-body --max-time ${formatNumber(sink.timeoutSeconds)} --retry ${formatNumber(sink.retries)} --request "$EVENT_METHOD" --header @- --data-binary "$body" "$EVENT_URL"`,
    '',
  ].join('\n');
}

/** Environment of the event Job: the sink as values, the event from template args, the token from its Secret. */
export function eventEnv(sink: ResolvedSink): t.EnvVar[] {
  const env: t.EnvVar[] = [
    { name: 'EVENT_URL', value: sink.url },
    { name: 'EVENT_METHOD', value: sink.method },
    { name: 'EVENT_NAME', value: '{{args.event-name}}' },
    { name: 'EVENT_STATE', value: '{{args.event-state}}' },
    { name: 'EVENT_FIELDS', value: JSON.stringify(sink.fields) },
  ];
  if (sink.headers.length > 0) env.push({ name: 'EVENT_HEADERS', value: sink.headers.map((h) => `${h.key}: ${h.value}`).join('\n') });
  if (sink.tokenSecretRef) {
    env.push(
      { name: 'EVENT_TOKEN', valueFrom: { secretKeyRef: { name: sink.tokenSecretRef.name, key: sink.tokenSecretRef.key } } },
      { name: 'EVENT_TOKEN_HEADER', value: sink.tokenHeader },
      { name: 'EVENT_TOKEN_PREFIX', value: sink.tokenPrefix },
    );
  }
  return env;
}

/** The one event template, as a spec template, so it resolves and renders like any other. */
export function eventTemplate(sink: ResolvedSink, image: string): t.AnalysisTemplateSpec {
  return {
    name: EVENT_TEMPLATE,
    args: [{ name: 'event-name' }, { name: 'event-state' }],
    metrics: [{
      name: EVENT_METRIC,
      provider: {
        job: {
          image,
          command: ['sh', '-c', eventScript(sink)],
          env: eventEnv(sink),
          // One more pod if the first is lost (eviction); curl already retries the request itself.
          backoffLimit: 1,
          activeDeadlineSeconds: 2 * attemptSeconds(sink) + 30,
          ttlSecondsAfterFinished: 3600,
        },
      },
    }],
  };
}

/** Longest a pod can take: every curl attempt timing out, plus curl's doubling retry delays (from 1s). */
function attemptSeconds(sink: ResolvedSink): number {
  let delays = 0;
  for (let i = 0; i < sink.retries; i++) delays += Math.min(2 ** i, 600);
  return (sink.retries + 1) * sink.timeoutSeconds + delays;
}

/** Event name of the stage at `weight` (a blue-green rollout has one stage, `preview`). */
export function stageEventName(meta: t.AppMetadata, events: t.EventsSpec, weight: number | 'preview'): string {
  return (events.name ?? `${meta.name}-{weight}`).replace(/\{weight\}/g, String(weight));
}

function eventArgs(name: string, state: 'start' | 'stop'): t.RolloutAnalysisArg[] {
  return [{ name: 'event-name', value: name }, { name: 'event-state', value: state }];
}

function eventStep(name: string, state: 'start' | 'stop'): t.CanaryStep {
  return { analysis: { templates: [EVENT_TEMPLATE], args: eventArgs(name, state) } };
}

/**
 * A promotion analysis with the event added: its templates run together in one AnalysisRun, so the event
 * Job runs beside the written metrics (`start` as the preview is analysed, `stop` once it is promoted).
 */
function withEvent(a: t.StepAnalysisSpec | undefined, name: string, state: 'start' | 'stop'): t.StepAnalysisSpec {
  return { templates: [...(a?.templates ?? []), EVENT_TEMPLATE], args: [...(a?.args ?? []), ...eventArgs(name, state)] };
}

/**
 * Steps with events: `start` right after each setWeight, `stop` right before the next setWeight and
 * after the last step, so each stage's events bracket exactly the time its weight was live.
 */
export function withEventSteps(steps: readonly t.CanaryStep[], nameOf: (weight: number) => string): t.CanaryStep[] {
  const out: t.CanaryStep[] = [];
  let open: string | undefined;
  for (const s of steps) {
    if (s.setWeight === undefined) {
      out.push(s);
      continue;
    }
    if (open) out.push(eventStep(open, 'stop'));
    open = nameOf(s.setWeight);
    out.push(s, eventStep(open, 'start'));
  }
  if (open) out.push(eventStep(open, 'stop'));
  return out;
}

/** A stage of a rollout, for the abort notification: the step index it starts at and its event name. */
export interface EventStage {
  readonly index: number;
  readonly event: string;
}

/** The stages of canary steps: one per setWeight. (A blue-green rollout has one, `preview`, at index 0.) */
export function canaryStages(steps: readonly t.CanaryStep[], nameOf: (weight: number) => string): EventStage[] {
  return steps.flatMap((s, i) => (s.setWeight === undefined ? [] : [{ index: i, event: nameOf(s.setWeight) }]));
}

/**
 * The spec as the controller will run it with events, the event template added: a canary's explicit
 * steps with the event steps inserted; a blue-green rollout's preview phase bracketed by its promotion
 * analyses (`start` in the pre-promotion one, `stop` in the post-promotion one). Applied by `resolve`,
 * after validation of the spec as written.
 */
export function applyEvents(meta: t.AppMetadata, namespace: string, spec: t.CanaryAppSpec): t.CanaryAppSpec {
  const events = spec.events;
  if (!events) return spec;
  const sink = resolveSink(meta, namespace, events.sink);
  const analysisTemplates = [...(spec.analysisTemplates ?? []), eventTemplate(sink, events.image ?? DEFAULTS.events.image)];
  if (spec.blueGreen) {
    const stage = stageEventName(meta, events, 'preview');
    const bg = spec.blueGreen;
    return { ...spec, analysisTemplates, blueGreen: { ...bg, prePromotionAnalysis: withEvent(bg.prePromotionAnalysis, stage, 'start'), postPromotionAnalysis: withEvent(bg.postPromotionAnalysis, stage, 'stop') } };
  }
  const canary = spec.canary ?? {};
  return {
    ...spec,
    analysisTemplates,
    canary: { ...canary, steps: withEventSteps(specSteps(canary), (w) => stageEventName(meta, events, w)), weights: undefined, pause: undefined },
  };
}
