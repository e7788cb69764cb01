/**
 * Names the spec format fixes, apart from its zod schema: modules that need only these (the resolver,
 * the constructs, the targets) import them from here, so loading them does not build the schemas, which
 * is half of the CLI's start-up (docs/performance.md). schema.ts, library.ts, notifications.ts and
 * providers.ts export them too.
 */

export const API_VERSION = 'canarykit.dev/v1alpha1';
export const KIND = 'CanaryApp';
/** The kind of shared analysis templates (library.ts). */
export const LIBRARY_KIND = 'AnalysisLibrary';

/** The Secret the controller's notification engine reads its `$key` references from (record.NotificationSecret). */
export const NOTIFICATION_SECRET = 'argo-rollouts-notification-secret';
/** The ConfigMap it reads services, templates and triggers from (record.NotificationConfigMap). */
export const NOTIFICATION_CONFIGMAP = 'argo-rollouts-notification-configmap';

/** The metric providers of providers.ts, in the order of its `externalProviders` (its type checks that they are the same). */
export const EXTERNAL_PROVIDER_KEYS = ['datadog', 'newRelic', 'cloudWatch', 'graphite', 'influxdb', 'wavefront', 'kayenta', 'plugin'] as const;
export type ExternalProviderKey = (typeof EXTERNAL_PROVIDER_KEYS)[number];
