/** The controller-side notification configuration: merged across apps, deterministic, valid objects, three forms of the same entries, no credential values. */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments, parse } from 'yaml';
import { mergeNotifications, notificationFiles, NOTIFICATION_FILES } from '../../src/targets/notifications';
import { resolve } from '../../src/model/resolve';
import { exampleApps } from '../support/examples';
import { validateAll } from '../support/schema';
import { runCli } from '../support/cli';
import { tmp } from '../support/tmp';
import { readTree } from '../support/files';
import { specDocument } from '../support/specs';

const REPO = 'https://github.com/example/canarykit-deploy.git';

/** An app with a webhook (token), a Slack, a Teams and an email sink, and domain events. */
function app(name: string, namespace: string) {
  const d = specDocument({
    image: 'example/web:1.2.3',
    canary: { steps: [{ setWeight: 20 }, { pause: { duration: '1m' } }, { setWeight: 60 }] },
    events: { sink: { url: 'https://events.example.com/x', tokenSecretRef: { name: 'events', key: 'token' } } },
    notifications: {
      sinks: {
        hook: { webhook: { url: 'https://hooks.example.com/r', token: { secretKey: 'hook-token', header: 'X-Hook-Token', prefix: '' } } },
        chat: { slack: { tokenSecretKey: 'slack-token', channels: ['deploys'] } },
        team: { teams: { webhookUrlSecretKey: 'teams-url' } },
        mail: { email: { host: 'smtp.example.com', from: 'rollouts@example.com', to: ['oncall@example.com'], usernameSecretKey: 'smtp-user', passwordSecretKey: 'smtp-password' } },
      },
      subscriptions: [{ triggers: ['on-rollout-step-completed', 'on-rollout-aborted'], sinks: ['hook', 'chat', 'team', 'mail'] }],
    },
  }, { name, namespace });
  return resolve(d.metadata, d.spec);
}

test('three apps in one ConfigMap: their own services and templates, each trigger sending every app\'s template, in the same order whatever the input order', () => {
  const apps = [app('web', 'shop'), app('web', 'admin'), app('api', 'shop')];
  const files = notificationFiles(apps, { repoURL: REPO });
  expect(notificationFiles([...apps].reverse(), { repoURL: REPO })).toEqual(files);
  const [configMap] = parseAllDocuments(files.get(NOTIFICATION_FILES.configMap)!).map((d) => d.toJS());
  expect(configMap.metadata).toMatchObject({ name: 'argo-rollouts-notification-configmap', namespace: 'argo-rollouts' });
  const data = configMap.data as Record<string, string>;
  expect(Object.keys(data).filter((k) => k.startsWith('service.') && k.includes('ck_shop_web_'))).toEqual([
    'service.email.ck_shop_web_mail', 'service.slack.ck_shop_web_chat', 'service.teams.ck_shop_web_team',
    'service.webhook.ck_shop_web_domain-events', 'service.webhook.ck_shop_web_hook',
  ]);
  // Same app name in two namespaces: separate entries.
  expect(Object.keys(data).filter((k) => k.startsWith('template.') && k.endsWith('on-rollout-aborted'))).toEqual([
    'template.ck_admin_web_on-rollout-aborted', 'template.ck_shop_api_on-rollout-aborted', 'template.ck_shop_web_on-rollout-aborted',
  ]);
  // One condition without `when` (the event path sends it; the engine's own controller never does), every app's template.
  expect(parse(data['trigger.on-rollout-aborted'])).toEqual([
    { send: ['ck_admin_web_on-rollout-aborted', 'ck_shop_api_on-rollout-aborted', 'ck_shop_web_on-rollout-aborted'] },
  ]);
  // All of them render into one notification per destination: the webhook sections are keyed by each
  // app's service, and a trigger's message is the same text in every app's template.
  const aborted = Object.keys(data).filter((k) => k.startsWith('template.') && k.endsWith('on-rollout-aborted')).map((k) => parse(data[k]));
  expect(new Set(aborted.map((tpl) => tpl.message)).size).toBe(1);
  // Credentials are `$<key>` references the engine fills from argo-rollouts-notification-secret.
  expect(parse(data['service.webhook.ck_shop_web_hook']).headers).toEqual([
    { name: 'Content-Type', value: 'application/json' }, { name: 'X-Hook-Token', value: '$hook-token' },
  ]);
  expect(parse(data['service.slack.ck_shop_web_chat'])).toEqual({ token: '$slack-token' });
  expect(parse(data['service.teams.ck_shop_web_team'])).toEqual({ recipientUrls: { team: '$teams-url' } });
  expect(parse(data['service.email.ck_shop_web_mail'])).toEqual({ host: 'smtp.example.com', port: 587, from: 'rollouts@example.com', username: '$smtp-user', password: '$smtp-password' });
  const template = parse(data['template.ck_shop_web_on-rollout-aborted']);
  expect(Object.keys(template.webhook)).toEqual(['ck_shop_web_domain-events', 'ck_shop_web_hook']);
  expect(template.email.subject).toBe(template.message);
  expect(validateAll([configMap])).toEqual([]);
});

test('the Secret keys are listed (names only), the chart values hold exactly the ConfigMap entries, the Application syncs the ConfigMap to the controller namespace', () => {
  const files = notificationFiles([app('web', 'shop')], { repoURL: REPO, namespace: 'rollouts', path: 'platform/notifications' });
  const keys = parse(files.get(NOTIFICATION_FILES.secretKeys)!);
  expect(keys.secret).toEqual({ name: 'argo-rollouts-notification-secret', namespace: 'rollouts' });
  expect(keys.keys.map((k: any) => k.key)).toEqual(['ck_shop_web_domain-events_token', 'hook-token', 'slack-token', 'smtp-password', 'smtp-user', 'teams-url']);
  expect(keys.keys[0]).toEqual({ key: 'ck_shop_web_domain-events_token', usedBy: ['service.webhook.ck_shop_web_domain-events'], value: 'the value of key token of Secret events in namespace shop' });

  const [configMap] = parseAllDocuments(files.get(NOTIFICATION_FILES.configMap)!).map((d) => d.toJS());
  const values = parse(files.get(NOTIFICATION_FILES.helmValues)!).notifications;
  expect(values.configmap).toEqual({ create: true });
  expect(values.secret).toEqual({ create: false });
  // The upstream chart writes notifiers, templates and triggers into the ConfigMap's data as they are.
  expect({ ...values.notifiers, ...values.templates, ...values.triggers }).toEqual(configMap.data);

  const application = parse(files.get(NOTIFICATION_FILES.application)!);
  expect(application.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'rollouts' });
  expect(application.spec.source).toEqual({ repoURL: REPO, targetRevision: 'HEAD', path: 'platform/notifications', directory: { include: NOTIFICATION_FILES.configMap } });
  expect(validateAll([application])).toEqual([]);
});

test('the same app twice is an error, not entries that overwrite each other', () => {
  expect(() => mergeNotifications([app('web', 'shop'), app('web', 'shop')])).toThrow('web: metadata.name: "shop/web" is defined twice; its notification entries would overwrite each other');
});

test('apps without subscriptions add nothing; the examples merge into one ConfigMap', () => {
  const merged = mergeNotifications(exampleApps().map((a) => a.model));
  expect(Object.keys(merged.data).every((k) => /^(service|template|trigger)\./.test(k))).toBe(true);
  expect(merged.data['trigger.on-rollout-aborted']).toBeDefined();
});

test('canarykit notifications: writes the four files; nothing when no app subscribes; errors as every command', () => {
  const out = tmp('notifications');
  const examples = path.join(__dirname, '../../examples');
  const r = runCli('notifications', examples, '--out', out, '--repo-url', REPO);
  expect(r.code).toBe(0);
  expect(Object.keys(readTree(out)).filter((f) => !f.startsWith('.')).sort()).toEqual(Object.values(NOTIFICATION_FILES).sort());

  const quiet = tmp('quiet');
  const spec = path.join(quiet, 'web.yaml');
  fs.writeFileSync(spec, 'apiVersion: canarykit.dev/v1alpha1\nkind: CanaryApp\nmetadata: {name: web}\nspec:\n  image: example/web:1.0.0\n  canary: {weights: [50]}\n');
  const none = runCli('notifications', spec, '--out', path.join(quiet, 'out'), '--repo-url', REPO);
  expect(none).toMatchObject({ code: 0, stderr: expect.stringContaining('no app subscribes to a notification') });
  expect(fs.existsSync(path.join(quiet, 'out'))).toBe(false);

  fs.writeFileSync(spec, fs.readFileSync(spec, 'utf8') + '  notifications: {subscriptions: [{triggers: [on-rollout-abort], sinks: [x]}]}\n');
  const bad = runCli('notifications', spec, '--out', path.join(quiet, 'out'), '--repo-url', REPO);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain('spec.notifications.subscriptions[0].triggers[0]: "on-rollout-abort" is not a trigger of the Argo Rollouts controller (v1.9.1); did you mean "on-rollout-aborted"?');
  expect(bad.stderr).toContain('spec.notifications.subscriptions[0].sinks[0]: "x" is not a sink of notifications.sinks');
  expect(fs.existsSync(path.join(quiet, 'out'))).toBe(false);
});
