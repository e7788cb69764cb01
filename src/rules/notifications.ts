/**
 * Notifications: every subscription names a trigger the v1.9.1 controller fires and a sink the app
 * defines; the trigger can fire for this app at all; sinks carry no credential except by a key of the
 * notification Secret; payloads read Rollout fields that exist; and every webhook body is JSON once the
 * engine has filled it in.
 */
import { error, joinPath, show, warning } from '../document/errors';
import { DEFAULTS } from '../document/defaults';
import {
  appNotificationConfig, DOMAIN_EVENTS_SINK, ROLLOUT_FIELDS, TRIGGER_NAMES, TRIGGERS, TriggerNeed,
} from '../analysis/notifications';
import type { Rule, RuleContext } from './context';
import { isCredentialName } from '../document/credentials';
import { hasControlCharacter, httpUrl } from './text';

const N = DEFAULTS.notifications;
/** Query parameters that carry credentials (a webhook URL is stored in a ConfigMap, readable by many). */
const CREDENTIAL_PARAM = /^(token|access_token|api_key|apikey|key|secret|sig|signature|password|auth)$/i;
/** Payload keys every webhook event sets itself (analysis/notifications.ts webhookBody). */
const RESERVED_PAYLOAD = ['event', 'app', 'namespace', 'phase', 'message', 'stepIndex', 'revision', 'timestamp'];

/** The closest of `names` to `name` by edit distance, when it is close enough to be a typo. */
export function closest(name: string, names: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(name.length / 3)) + 1;
  for (const candidate of names) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length];
}

function suggestion(name: string, names: Iterable<string>): string {
  const near = closest(name, names);
  return near ? `; did you mean ${show(near)}?` : '';
}

/** Why a trigger never fires for this app, if it never does. */
function neverFires(ctx: RuleContext, need: TriggerNeed | undefined): string | undefined {
  if (need === 'canary' && !ctx.spec.canary) return 'the controller fires it for canary steps only, and this app is blue-green';
  if (need === 'trafficRouting' && !ctx.routed) return 'the controller fires it when a traffic router changes weights, and this app has no traffic router';
  if (need === 'analysis' && ctx.analyses.length === 0 && !ctx.spec.events) return 'this app runs no analysis';
  return undefined;
}

export const notificationRules: readonly Rule[] = [
  {
    name: 'notification-subscriptions',
    *check(ctx) {
      const { spec, path } = ctx;
      const n = spec.notifications;
      const domainEvents = spec.events !== undefined && spec.events.onAbort !== false;
      const sinkNames = new Set([...Object.keys(n?.sinks ?? {}), ...(domainEvents ? [DOMAIN_EVENTS_SINK] : [])]);
      const needs = new Map(TRIGGERS.map((x) => [x.name, x.needs]));
      if (n?.sinks?.[DOMAIN_EVENTS_SINK]) yield error(path(`notifications.sinks.${DOMAIN_EVENTS_SINK}`), `${show(DOMAIN_EVENTS_SINK)} is the sink of spec.events (its stop event on abort); name this sink otherwise`);
      const subscribed = new Set<string>();
      for (const [i, sub] of (n?.subscriptions ?? []).entries()) {
        const at = path(`notifications.subscriptions[${i}]`);
        for (const [j, trigger] of sub.triggers.entries()) {
          if (!TRIGGER_NAMES.has(trigger)) {
            yield error(`${at}.triggers[${j}]`, `${show(trigger)} is not a trigger of the Argo Rollouts controller (v1.9.1)${suggestion(trigger, TRIGGER_NAMES)} (triggers: ${[...TRIGGER_NAMES].join(', ')})`);
            continue;
          }
          const why = neverFires(ctx, needs.get(trigger));
          if (why) yield error(`${at}.triggers[${j}]`, `${show(trigger)} never fires for this app: ${why}`);
        }
        for (const [j, sink] of sub.sinks.entries()) {
          subscribed.add(sink);
          if (sink === DOMAIN_EVENTS_SINK && !n?.sinks?.[DOMAIN_EVENTS_SINK]) {
            yield domainEvents
              ? error(`${at}.sinks[${j}]`, `the ${DOMAIN_EVENTS_SINK} sink already gets on-rollout-aborted from spec.events; its start and stop events are sent by the event Jobs, so subscribe it to nothing else`)
              : error(`${at}.sinks[${j}]`, `${show(sink)} needs spec.events with onAbort (the domain-events sink)`);
          } else if (!sinkNames.has(sink)) {
            yield error(`${at}.sinks[${j}]`, `${show(sink)} is not a sink of notifications.sinks${suggestion(sink, sinkNames)}`);
          }
        }
      }
      for (const name of Object.keys(n?.sinks ?? {})) {
        if (!subscribed.has(name)) yield warning(path(`notifications.sinks.${name}`), 'no subscription sends to this sink');
      }
    },
  },
  {
    name: 'notification-credentials',
    *check({ spec, path }) {
      for (const [name, sink] of Object.entries(spec.notifications?.sinks ?? {})) {
        const w = sink.webhook;
        if (!w) continue;
        const at = path(`notifications.sinks.${name}.webhook`);
        const urlIssues = httpUrl(w.url, `${at}.url`);
        yield* urlIssues;
        if (urlIssues.length === 0) {
          const url = new URL(w.url);
          if (url.username || url.password) yield error(`${at}.url`, 'carries credentials: the URL is stored in a ConfigMap; use token.secretKey');
          for (const key of url.searchParams.keys()) {
            if (CREDENTIAL_PARAM.test(key)) yield error(`${at}.url`, `query parameter ${show(key)} looks like a credential: the URL is stored in a ConfigMap; use token.secretKey`);
          }
        }
        // The engine replaces `$<key>` in every string of a service's settings with a Secret value.
        if (w.url.includes('$')) yield error(`${at}.url`, 'contains "$", which the notification engine reads as a reference to a key of its Secret');
        for (const [i, h] of (w.headers ?? []).entries()) {
          if (isCredentialName(h.name)) yield error(`${at}.headers[${i}]`, `${show(h.name)} looks like a credential: use token (a key of ${show('argo-rollouts-notification-secret')})`);
          if (hasControlCharacter(h.value)) yield error(`${at}.headers[${i}].value`, 'contains a control character (newline?): it would split into another header');
          if (h.value.includes('$')) yield error(`${at}.headers[${i}].value`, 'contains "$", which the notification engine reads as a reference to a key of its Secret');
        }
        const token = w.token;
        if (token) {
          if ((token.prefix ?? N.tokenPrefix).includes('$')) yield error(`${at}.token.prefix`, 'contains "$", which the notification engine reads as a reference to a key of its Secret');
          if (hasControlCharacter(token.prefix ?? '')) yield error(`${at}.token.prefix`, 'contains a control character (newline?): it would split into another header');
        }
      }
    },
  },
  {
    name: 'notification-payloads',
    *check(ctx) {
      const { spec, path } = ctx;
      for (const [name, sink] of Object.entries(spec.notifications?.sinks ?? {})) {
        for (const [key, value] of Object.entries(sink.webhook?.fields ?? {})) {
          const at = joinPath(path(`notifications.sinks.${name}.webhook.fields`), [key]);
          if (RESERVED_PAYLOAD.includes(key)) yield error(at, `is set by canarykit in every event (${RESERVED_PAYLOAD.join(', ')})`);
          if (typeof value === 'string') {
            if (value.includes('{{')) yield error(at, 'contains "{{", which the notification template would run as a Go template action');
          } else if (!(value.from in ROLLOUT_FIELDS)) {
            yield error(`${at}.from`, `${show(value.from)} is not a field of the Rollout canarykit can read${suggestion(value.from, Object.keys(ROLLOUT_FIELDS))} (fields: ${Object.keys(ROLLOUT_FIELDS).join(', ')})`);
          }
        }
        if (sink.webhook && Object.keys(sink.webhook.fields ?? {}).some((k) => k.includes('{{'))) {
          yield error(path(`notifications.sinks.${name}.webhook.fields`), 'a key contains "{{", which the notification template would run as a Go template action');
        }
      }
      // Every body as the engine will fill it in (each action replaced by a JSON value) must parse.
      const model = ctx.model.notifications;
      if (!model) return;
      for (const [key, template] of Object.entries(appNotificationConfig(model).templates)) {
        for (const [service, { body }] of Object.entries(template.webhook ?? {})) {
          const problem = jsonProblem(sampleRender(body));
          if (problem) yield error(path('notifications'), `the webhook body of ${key} for ${service} would not be JSON after templating (${problem})`);
        }
      }
    },
  },
];

/**
 * A body with its template actions as the engine fills them in: `toJson` gives a JSON value (null here),
 * an if/else chain emits one of its branches (the first here; every branch is a JSON string literal).
 */
export function sampleRender(body: string): string {
  return body
    .replace(/\{\{ toJson .*? \}\}/g, 'null')
    .replace(/\{\{ if [^}]*\}\}(.*?)(\{\{ else[^}]*\}\}.*?)*\{\{ end \}\}/g, '$1');
}

/** Why `text` is not JSON. A `{{` left in a string is not this rule's: the injection rules report it. */
function jsonProblem(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
