/**
 * Applies every default once and turns spec references into object names. Runs only on a spec that
 * `validate.ts` accepted, so it can assume references exist.
 */
import type * as t from '../document/types';
import type { ResolvedAnalysis, ResolvedApp, ResolvedStep, ResolvedTemplate } from './model';
import { durationSeconds } from '../document/patterns';
import { specSteps, templateRefName } from '../document/normalize';
import { abortSubscription, applyEvents, EVENT_METRIC, EVENT_TEMPLATE } from '../analysis/events';
import { expandMetric } from '../analysis/metrics';
import { DEFAULTS } from '../document/defaults';

export const NAME_LABEL = 'app.kubernetes.io/name';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const TRACK_LABEL = 'canarykit.dev/track';

/** Declared with the schema (document/defaults); re-exported for the layers that read it from the model. */
export { DEFAULTS };

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
  const selectorLabels = { [NAME_LABEL]: name };
  const labels = { ...(meta.labels ?? {}), ...selectorLabels, [MANAGED_BY_LABEL]: 'canarykit' };
  const templatesBySpecName = new Map((spec.analysisTemplates ?? []).map((tpl) => [tpl.name, tpl]));

  const analysis = (a: t.StepAnalysisSpec): ResolvedAnalysis => ({
    templates: a.templates.map((ref) => {
      const { name: refName, cluster } = templateRefName(ref);
      const local = templatesBySpecName.get(refName);
      if (cluster && !local) return { templateName: refName, clusterScope: true };
      const tpl = local!;
      return tpl.clusterScoped
        ? { templateName: templateObjectName(meta, tpl), clusterScope: true }
        : { templateName: templateObjectName(meta, tpl) };
    }),
    args: a.args ?? [],
  });

  const named = specSteps(spec.canary);
  const steps = named.map((s): ResolvedStep => {
    if (s.setWeight !== undefined) return { setWeight: s.setWeight };
    if (s.pause) return { pause: s.pause.duration === undefined ? {} : { duration: normalizeDuration(s.pause.duration) } };
    if (s.analysis) return { analysis: analysis(s.analysis) };
    return { setCanaryScale: s.setCanaryScale };
  });
  const background = spec.canary.analysis;

  const serviceMonitorOn = spec.serviceMonitor?.enabled ?? spec.ports?.metrics !== undefined;
  const root = spec.services?.root === false ? undefined : {
    name: spec.services?.root?.name ?? name,
    annotations: spec.services?.root?.annotations ?? {},
    exposeMetrics: serviceMonitorOn,
  };
  const stable = { name: spec.services?.stable?.name ?? `${name}-stable`, annotations: spec.services?.stable?.annotations ?? {}, exposeMetrics: false };
  const canarySvc = { name: spec.services?.canary?.name ?? `${name}-canary`, annotations: spec.services?.canary?.annotations ?? {}, exposeMetrics: false };

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
    replicas: spec.replicas ?? DEFAULTS.replicas,
    revisionHistoryLimit: spec.revisionHistoryLimit,
    ports: {
      http: spec.ports?.http ?? DEFAULTS.httpPort,
      metrics: spec.ports?.metrics,
      servicePort: spec.ports?.servicePort ?? DEFAULTS.servicePort,
    },
    container: {
      image: imageRef(spec.image),
      imagePullPolicy: (typeof spec.image === 'string' ? undefined : spec.image.pullPolicy) ?? 'IfNotPresent',
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
        runAsNonRoot: sec.runAsNonRoot ?? true,
        runAsUser: sec.runAsUser,
        runAsGroup: sec.runAsGroup,
        fsGroup: sec.fsGroup,
        readOnlyRootFilesystem: sec.readOnlyRootFilesystem ?? true,
        allowPrivilegeEscalation: sec.allowPrivilegeEscalation ?? false,
        addCapabilities: sec.addCapabilities ?? [],
        seccompProfile: sec.seccompProfile ?? 'RuntimeDefault',
      },
    },
    pod: {
      labels: { ...(spec.podLabels ?? {}), ...selectorLabels },
      annotations: spec.podAnnotations ?? {},
      serviceAccountName: saName,
      automountServiceAccountToken: sa.automountToken ?? false,
    },
    serviceAccount: sa.create === false ? undefined : { name: saName },
    services: { type: spec.services?.type ?? DEFAULTS.serviceType, stable, canary: canarySvc, root },
    ingress: spec.ingress && {
      name: spec.ingress.name ?? name,
      host: spec.ingress.host,
      className: spec.ingress.className ?? DEFAULTS.ingressClassName,
      path: spec.ingress.path ?? '/',
      pathType: spec.ingress.pathType ?? 'Prefix',
      annotations: spec.ingress.annotations ?? {},
      tlsSecretName: spec.ingress.tlsSecretName,
      // The NGINX router requires the stable Ingress to point at the stable Service.
      serviceName: spec.trafficRouting?.nginx || !root ? stable.name : root.name,
    },
    nginx: spec.trafficRouting?.nginx,
    canary: {
      steps,
      analysis: background && {
        ...analysis(background),
        startingStep: background.startingStep === undefined ? undefined : named.findIndex((s) => s.name === background.startingStep),
      },
      canaryMetadata: trackMetadata('canary', spec.canary.canaryMetadata),
      stableMetadata: trackMetadata('stable', spec.canary.stableMetadata),
      maxSurge: spec.canary.maxSurge,
      maxUnavailable: spec.canary.maxUnavailable,
      dynamicStableScale: spec.canary.dynamicStableScale,
      abortScaleDownDelaySeconds: spec.canary.abortScaleDownDelaySeconds,
      scaleDownDelaySeconds: spec.canary.scaleDownDelaySeconds,
    },
    analysisTemplates: (spec.analysisTemplates ?? []).map((tpl): ResolvedTemplate => ({
      name: templateObjectName(meta, tpl),
      specName: tpl.name,
      clusterScoped: tpl.clusterScoped ?? false,
      args: tpl.args ?? [],
      metrics: tpl.metrics.map((m) => {
        const { provider, ...rest } = { ...m, ...expandMetric(m, interval) };
        return {
          ...rest,
          provider: {
            prometheus: provider.prometheus && { ...provider.prometheus, address: provider.prometheus.address ?? spec.prometheus!.address },
            web: provider.web,
            job: provider.job && {
              ...provider.job,
              backoffLimit: provider.job.backoffLimit ?? DEFAULTS.jobBackoffLimit,
              activeDeadlineSeconds: provider.job.activeDeadlineSeconds ?? DEFAULTS.jobActiveDeadlineSeconds,
              ttlSecondsAfterFinished: provider.job.ttlSecondsAfterFinished ?? DEFAULTS.jobTtlSecondsAfterFinished,
            },
          },
        };
      }),
      ...(tpl.name === EVENT_TEMPLATE && spec.events?.required === false ? { dryRun: [EVENT_METRIC] } : {}),
    })),
    serviceMonitor: serviceMonitorOn ? {
      name,
      interval,
      scrapeTimeout: spec.serviceMonitor?.scrapeTimeout
        ?? (durationSeconds(interval) > DEFAULTS.maxScrapeTimeoutSeconds ? `${DEFAULTS.maxScrapeTimeoutSeconds}s` : interval),
      path: spec.serviceMonitor?.path ?? DEFAULTS.metricsPath,
      selectorLabels: spec.serviceMonitor?.selectorLabels ?? {},
    } : undefined,
    scrapeInterval: interval,
    ...(spec.events && spec.events.onAbort !== false ? { rolloutAnnotations: abortSubscription({ name }) } : {}),
  };
}

function trackMetadata(track: 'canary' | 'stable', meta: t.PodMetadataSpec | undefined): t.PodMetadataSpec {
  return {
    labels: { [TRACK_LABEL]: track, ...(meta?.labels ?? {}) },
    ...(meta?.annotations ? { annotations: meta.annotations } : {}),
  };
}

/** Pause durations: integers stay seconds; strings of digits become integers so the output has one form. */
function normalizeDuration(d: string | number): string | number {
  return typeof d === 'string' && /^[0-9]+$/.test(d) ? Number(d) : d;
}
