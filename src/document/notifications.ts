/**
 * `spec.notifications`: which of the Argo Rollouts controller's notification triggers go to which sinks.
 * The triggers are the controller's own (argo-rollouts v1.9.1 turns each event reason it records on a
 * Rollout into `on-<kebab-case reason>`, utils/record/record.go translateReasonToTrigger); the sinks are
 * services of argoproj/notifications-engine. Every credential is a key of the one Secret the engine
 * reads, `argo-rollouts-notification-secret` in the controller's namespace: the spec names the key,
 * never holds the value.
 */
import { z } from 'zod';
import { DEFAULTS } from './defaults';
import { field, required } from './fields';
import { DNS1123_LABEL, HTTP_HEADER_NAME } from './patterns';

const N = DEFAULTS.notifications;

import { NOTIFICATION_CONFIGMAP, NOTIFICATION_SECRET } from './constants';

export { NOTIFICATION_CONFIGMAP, NOTIFICATION_SECRET };

/**
 * A key of `argo-rollouts-notification-secret`. The engine replaces `$<key>` in service settings where
 * the key matches `[\w-]+` (api/config.go keyPattern), so a key with a dot would be cut at the dot.
 */
export const notificationSecretKey = z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'is not a key the notification engine can reference (letters, digits, "_" and "-": it reads `$<key>` up to the first other character)' })
  .meta({ description: `A key of the Secret \`${NOTIFICATION_SECRET}\` in the controller's namespace (the only Secret the notification engine reads).` });

/** A payload value read from the Rollout at send time. */
export const rolloutField = z.strictObject({
  from: required(z.string().min(1, { error: 'must not be empty' }), 'A field of the Rollout, e.g. `rollout.status.currentPodHash` (the fields canarykit can read are listed in docs/notifications.md).'),
});

export const notificationHeader = z.strictObject({
  name: required(z.string().regex(HTTP_HEADER_NAME, { error: 'is not an HTTP header name' }), 'Header name.'),
  value: required(z.string(), 'Header value; not a credential (use `token`).'),
});

export const notificationToken = z.strictObject({
  secretKey: required(notificationSecretKey, 'Key holding the token.'),
  header: field(z.string().regex(HTTP_HEADER_NAME, { error: 'is not an HTTP header name' }), { description: 'Header carrying it.', default: N.tokenHeader }),
  prefix: field(z.string(), { description: 'Text before the token in that header.', default: N.tokenPrefix }),
});

export const webhookSink = z.strictObject({
  url: required(z.url({ error: 'is not a URL' }), 'Endpoint; no credentials in it (use `token`).'),
  method: field(z.enum(['POST', 'PUT']), { description: 'HTTP method.', default: N.method }),
  headers: field(z.array(notificationHeader), { description: 'Non-secret headers; `Content-Type: application/json` is always sent.', default: [] }),
  token: field(notificationToken, { description: 'A token from the notification Secret, sent in a header. Default: none.' }),
  fields: field(z.record(z.string().min(1, { error: 'must not be empty' }), z.union([z.string(), rolloutField])), {
    description: 'Extra JSON payload fields: a constant string, or `{from: rollout.<path>}` read from the Rollout when the event is sent. Default: none.',
  }),
}).meta({ description: 'A generic webhook: one JSON object per event, built with the engine\'s `toJson`, so it is valid JSON whatever the values.' });

export const slackSink = z.strictObject({
  tokenSecretKey: required(notificationSecretKey, 'Key holding the Slack bot token (xoxb-...).'),
  channels: required(z.array(z.string().regex(/^[^;\s]+$/, { error: 'is not a channel name or id (no spaces or ";")' })).min(1, { error: 'must name at least one channel' }), 'Channels (names or ids) the messages go to.'),
});

export const teamsSink = z.strictObject({
  webhookUrlSecretKey: required(notificationSecretKey, 'Key holding the channel\'s incoming-webhook URL (the URL is the credential).'),
});

export const emailSink = z.strictObject({
  host: required(z.string().regex(/^[A-Za-z0-9.-]+$/, { error: 'is not a host name' }), 'SMTP server.'),
  port: field(z.number().int().min(1).max(65535), { description: 'SMTP port.', default: N.smtpPort }),
  from: required(z.email({ error: 'is not an email address' }), 'Sender address.'),
  to: required(z.array(z.email({ error: 'is not an email address' })).min(1, { error: 'must name at least one address' }), 'Recipients.'),
  usernameSecretKey: field(notificationSecretKey, { description: 'Key holding the SMTP user name. Default: none (no authentication).' }),
  passwordSecretKey: field(notificationSecretKey, { description: 'Key holding the SMTP password. Default: none.' }),
});

export const notificationSink = z.strictObject({
  webhook: field(webhookSink, { description: 'A generic JSON webhook.' }),
  slack: field(slackSink, { description: 'Slack (bot token).' }),
  teams: field(teamsSink, { description: 'Microsoft Teams (incoming webhook).' }),
  email: field(emailSink, { description: 'Email over SMTP.' }),
}).refine((s) => [s.webhook, s.slack, s.teams, s.email].filter((x) => x !== undefined).length === 1, {
  error: 'must set exactly one of webhook, slack, teams and email', params: { whole: true }, when: (payload) => payload.issues.length === 0,
});

export const notificationSubscription = z.strictObject({
  triggers: required(z.array(z.string().min(1, { error: 'must not be empty' })).min(1, { error: 'must name at least one trigger' }), 'The controller\'s triggers, e.g. `on-rollout-step-completed`, `on-rollout-aborted`, `on-analysis-run-failed`.'),
  sinks: required(z.array(z.string().min(1, { error: 'must not be empty' })).min(1, { error: 'must name at least one sink' }), 'Sink names (keys of `sinks`, or `domain-events` for the events sink).'),
});

export const notifications = z.strictObject({
  sinks: field(z.record(z.string().max(N.maxSinkName, { error: `is longer than ${N.maxSinkName} characters` }).regex(DNS1123_LABEL, { error: 'is not a DNS-1123 label' }), notificationSink), {
    description: 'Named sinks.', default: {},
  }),
  subscriptions: required(z.array(notificationSubscription).min(1, { error: 'must subscribe something' }), 'Which triggers go to which sinks.'),
}).meta({ description: 'Notifications through the controller\'s notification engine.' });
