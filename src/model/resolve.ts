/**
 * Applies every default once and turns spec references into object names. The rules resolve a spec
 * before they know its references are good (they read defaults from the model instead of repeating
 * them), so a bad reference resolves to something inert and never throws; only a spec the rules
 * accepted reaches the targets.
 */
import type * as t from '../document/types';
import type { ResolvedAnalysis, ResolvedApp, ResolvedService, ResolvedTemplate, ServiceRole } from './model';
import { durationSeconds } from '../document/patterns';
import { templateRefName } from '../document/normalize';
import { resolveRouting } from './routers';
import { resolveStrategy } from './strategies';
import { applyEvents, canaryStages, EVENT_METRIC, EVENT_TEMPLATE, resolveSink, stageEventName } from '../analysis/events';
import { resolveNotifications, subscriptionAnnotation } from '../analysis/notifications';
import { specSteps } from '../document/normalize';
import { expandMetric } from '../analysis/metrics';
import { EXTERNAL_PROVIDER_KEYS } from '../document/constants';
import { DEFAULTS } from '../document/defaults';
import { containerExtras, resolveAutoscaling, resolvePodExtras, resolveWorkloadRef } from './production';

export const NAME_LABEL = 'app.kubernetes.io/name';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';

/** Full image reference from the spec's image. */
export function imageRef(image: t.ImageSpec | string): string {
  if (typeof image === 'string') return image;
  const repo = image.registry ? `${image.registry}/${image.repository}` : image.repository;
  return image.digest ? `${repo}@${image.digest}` : `${repo}:${image.tag}`;
}

/** Object name of a template defined in the spec. */
export function templateObjectName(app: t.AppMetadata, template: Pick<t.AnalysisTemplateSpec, 'name' | 'clusterScoped'>): string {
  const local = `${app.name}-${template.name}`;
  return template.clusterScoped ? `${app.namespace ?? DEFAULTS.namespace}-${local}` : local;
}

export function resolve(meta: t.AppMetadata, written: t.CanaryAppSpec): ResolvedApp {
  const name = meta.name;
  const namespace = meta.namespace ?? DEFAULTS.namespace;
  const spec = applyEvents(meta, namespace, written);
  const notifications = appNotifications(meta, namespace, spec);
  // A Deployment taken over by workloadRef keeps its pods' labels; the Services select those.
  const selectorLabels = spec.workloadRef?.selectorLabels ?? { [NAME_LABEL]: name };
  const autoscaling = resolveAutoscaling(name, spec.autoscaling);
  const labels = { ...(meta.labels ?? {}), [NAME_LABEL]: name, [MANAGED_BY_LABEL]: 'canarykit' };
  const templatesBySpecName = new Map((spec.analysisTemplates ?? []).map((tpl) => [tpl.name, tpl]));

  const analysis = (a: t.StepAnalysisSpec): ResolvedAnalysis => ({
    templates: a.templates.map((ref) => {
      const { name: refName, cluster, library } = templateRefName(ref);
      // A library's template is named as written, and the reference says its scope (checked against the library on load).
      if (library !== undefined) return cluster ? { templateName: refName, clusterScope: true } : { templateName: refName };
      const tpl = templatesBySpecName.get(refName);
      // An unknown name is an error the rules report; resolving it as written keeps the rules' model whole.
      if (!tpl) return cluster ? { templateName: refName, clusterScope: true } : { templateName: refName };
      return tpl.clusterScoped
        ? { templateName: templateObjectName(meta, tpl), clusterScope: true }
        : { templateName: templateObjectName(meta, tpl) };
    }),
    args: a.args ?? [],
  });

  const serviceMonitorOn = spec.serviceMonitor?.enabled ?? spec.ports?.metrics !== undefined;
  // Only root exposes the metrics port: the ServiceMonitor scrapes it, so each pod is scraped once.
  const service = (role: ServiceRole): ResolvedService => {
    const written = role === 'root' ? spec.services?.root || undefined : spec.services?.[role];
    return { role, name: written?.name ?? (role === 'root' ? name : `${name}-${role}`), annotations: written?.annotations ?? {}, exposeMetrics: role === 'root' && serviceMonitorOn };
  };
  const root = spec.services?.root === false ? undefined : service('root');
  const ingressName = spec.ingress?.name ?? name;
  const servicePort = spec.ports?.servicePort ?? DEFAULTS.servicePort;
  const routing = resolveRouting(spec, {
    app: name, namespace, ingressName, stableService: service('stable').name, canaryService: service('canary').name, rootService: root?.name,
    servicePort,
  });
  const { strategy, services, backend } = resolveStrategy(spec, { analysis, service, root, routing, managedRoutes: spec.trafficRouting?.managedRoutes });
  const sa = spec.serviceAccount ?? {};
  const saName = sa.name ?? name;
  const probe = (p: t.ProbeSpec | false | undefined, fallback?: t.ProbeSpec): t.ProbeSpec | undefined => {
    if (p === false) return undefined;
    const chosen = p ?? fallback;
    if (!chosen) return undefined;
    if (chosen.httpGet) return { ...chosen, httpGet: { ...chosen.httpGet, port: chosen.httpGet.port ?? 'http' } };
    if (chosen.tcpSocket) return { ...chosen, tcpSocket: { port: chosen.tcpSocket.port ?? 'http' } };
    return chosen;
  };
  const sec = spec.security ?? {};
  const interval = spec.serviceMonitor?.interval ?? DEFAULTS.scrapeInterval;

  return {
    name,
    namespace,
    labels,
    annotations: meta.annotations ?? {},
    selectorLabels,
    replicas: autoscaling?.minReplicas ?? spec.replicas ?? DEFAULTS.replicas,
    revisionHistoryLimit: spec.revisionHistoryLimit,
    minReadySeconds: spec.minReadySeconds,
    progressDeadlineSeconds: spec.progressDeadlineSeconds,
    progressDeadlineAbort: spec.progressDeadlineAbort,
    autoscaling,
    podDisruptionBudget: spec.podDisruptionBudget && { name, ...spec.podDisruptionBudget },
    workloadRef: resolveWorkloadRef(spec.workloadRef),
    podExtras: spec.workloadRef ? undefined : resolvePodExtras(spec),
    ports: {
      http: spec.ports?.http ?? DEFAULTS.httpPort,
      metrics: spec.ports?.metrics,
      servicePort,
    },
    container: spec.image === undefined ? undefined : {
      image: imageRef(spec.image),
      imagePullPolicy: (typeof spec.image === 'string' ? undefined : spec.image.pullPolicy) ?? DEFAULTS.pullPolicy,
      ...containerExtras(spec),
      command: spec.command,
      args: spec.args,
      env: spec.env ?? [],
      resources: {
        requests: { ...DEFAULTS.requests, ...spec.resources?.requests },
        limits: { ...DEFAULTS.limits, ...spec.resources?.limits },
      },
      readinessProbe: probe(spec.probes?.readiness, { tcpSocket: {} }),
      livenessProbe: probe(spec.probes?.liveness),
      startupProbe: probe(spec.probes?.startup),
      security: {
        runAsNonRoot: sec.runAsNonRoot ?? DEFAULTS.runAsNonRoot,
        // Who asks for root (runAsNonRoot: false) gets the image's user, not the default one.
        runAsUser: sec.runAsUser ?? (sec.runAsNonRoot === false ? undefined : DEFAULTS.runAsUser),
        runAsGroup: sec.runAsGroup ?? (sec.runAsNonRoot === false ? undefined : DEFAULTS.runAsGroup),
        fsGroup: sec.fsGroup,
        readOnlyRootFilesystem: sec.readOnlyRootFilesystem ?? DEFAULTS.readOnlyRootFilesystem,
        allowPrivilegeEscalation: sec.allowPrivilegeEscalation ?? DEFAULTS.allowPrivilegeEscalation,
        addCapabilities: sec.addCapabilities ?? [],
        seccompProfile: sec.seccompProfile ?? DEFAULTS.seccompProfile,
      },
    },
    pod: {
      labels: spec.podLabels ?? {},
      annotations: spec.podAnnotations ?? {},
      serviceAccountName: saName,
      automountServiceAccountToken: sa.automountToken ?? DEFAULTS.automountServiceAccountToken,
    },
    // A Deployment taken over by workloadRef brings its own ServiceAccount.
    serviceAccount: (sa.create ?? DEFAULTS.createServiceAccount) && !spec.workloadRef ? { name: saName, annotations: sa.annotations ?? {} } : undefined,
    services: { type: spec.services?.type ?? DEFAULTS.serviceType, all: root ? [...services, root] : services },
    ingress: spec.ingress && {
      name: ingressName,
      host: spec.ingress.host,
      className: spec.ingress.className ?? DEFAULTS.ingressClassName,
      path: spec.ingress.path ?? DEFAULTS.ingressPath,
      pathType: spec.ingress.pathType ?? DEFAULTS.ingressPathType,
      annotations: spec.ingress.annotations ?? {},
      // Without a host the rule matches every host, and so does a TLS entry without hosts.
      tls: spec.ingress.tlsSecretName === undefined ? [] : [{
        ...(spec.ingress.host === undefined ? {} : { hosts: [spec.ingress.host, ...(spec.ingress.previewHost && backend.preview ? [spec.ingress.previewHost] : [])] }),
        secretName: spec.ingress.tlsSecretName,
      }],
      serviceName: backend.live,
      ...(spec.ingress.previewHost && backend.preview ? { preview: { host: spec.ingress.previewHost, serviceName: backend.preview } } : {}),
    },
    routing,
    strategy,
    analysisTemplates: (spec.analysisTemplates ?? []).map((tpl) => resolveTemplate(tpl, templateObjectName(meta, tpl), { interval, prometheus: spec.prometheus, events: spec.events })),
    serviceMonitor: serviceMonitorOn ? {
      name,
      interval,
      scrapeTimeout: spec.serviceMonitor?.scrapeTimeout
        ?? (durationSeconds(interval) > DEFAULTS.maxScrapeTimeoutSeconds ? `${DEFAULTS.maxScrapeTimeoutSeconds}s` : interval),
      path: spec.serviceMonitor?.path ?? DEFAULTS.metricsPath,
      selectorLabels: spec.serviceMonitor?.selectorLabels ?? {},
    } : undefined,
    scrapeInterval: interval,
    ...(notifications ? { notifications, rolloutAnnotations: subscriptionAnnotation(notifications) } : {}),
  };
}

/** The app's notifications, with the domain-events sink's stop event on abort (`spec` has the event steps). */
function appNotifications(meta: t.AppMetadata, namespace: string, spec: t.CanaryAppSpec) {
  const events = spec.events;
  const domainEvents = events && {
    sink: resolveSink(meta, namespace, events.sink),
    stages: spec.blueGreen
      ? [{ index: 0, event: stageEventName(meta, events, 'preview') }]
      : canaryStages(specSteps(spec.canary ?? {}), (w) => stageEventName(meta, events, w)),
  };
  return resolveNotifications({ name: meta.name, namespace }, spec, domainEvents);
}

/**
 * A template with its metrics as the controller runs them: built-ins compiled, provider defaults applied.
 * Apps and libraries (model/library.ts) resolve their templates here.
 */
export function resolveTemplate(tpl: t.AnalysisTemplateSpec, name: string, context: { interval: string; prometheus?: t.CanaryAppSpec['prometheus']; events?: t.CanaryAppSpec['events'] }): ResolvedTemplate {
  const { interval } = context;
  return {
    name,
    specName: tpl.name,
    clusterScoped: tpl.clusterScoped ?? DEFAULTS.clusterScopedTemplate,
    args: tpl.args ?? [],
    metrics: tpl.metrics.map((m) => {
      const { provider, ...rest } = { ...m, ...expandMetric(m, interval) };
      return {
        ...rest,
        provider: {
          prometheus: provider.prometheus && { ...provider.prometheus, address: provider.prometheus.address ?? context.prometheus?.address },
          web: provider.web,
          job: provider.job && {
            ...provider.job,
            backoffLimit: provider.job.backoffLimit ?? DEFAULTS.jobBackoffLimit,
            activeDeadlineSeconds: provider.job.activeDeadlineSeconds ?? DEFAULTS.jobActiveDeadlineSeconds,
            ttlSecondsAfterFinished: provider.job.ttlSecondsAfterFinished ?? DEFAULTS.jobTtlSecondsAfterFinished,
          },
          datadog: provider.datadog && {
            ...provider.datadog,
            apiVersion: provider.datadog.apiVersion ?? DEFAULTS.datadog.apiVersion,
            interval: provider.datadog.interval ?? DEFAULTS.datadog.interval,
          },
          ...Object.fromEntries(EXTERNAL_PROVIDER_KEYS.filter((k) => k !== 'datadog' && provider[k] !== undefined).map((k) => [k, provider[k]])),
        },
      };
    }),
    ...dryRunAndRetention(tpl, context.events),
  };
}

/**
 * The template's `dryRun` and `measurementRetention`, from its metrics' own fields (and the event
 * metric of `events.required: false`).
 */
function dryRunAndRetention(tpl: t.AnalysisTemplateSpec, events: t.CanaryAppSpec['events']): Pick<ResolvedTemplate, 'dryRun' | 'measurementRetention'> {
  const dryRun = tpl.metrics.filter((m) => m.dryRun === true).map((m) => m.name);
  if (tpl.name === EVENT_TEMPLATE && events?.required === false) dryRun.push(EVENT_METRIC);
  const retention = tpl.metrics.flatMap((m) => (m.measurementRetention === undefined ? [] : [{ metricName: m.name, limit: m.measurementRetention }]));
  return { ...(dryRun.length > 0 ? { dryRun } : {}), ...(retention.length > 0 ? { measurementRetention: retention } : {}) };
}
