/**
 * The production controls of the resolved model: the pod template beyond the app container, the HPA,
 * the PodDisruptionBudget and the pod source (the app's own template, or a Deployment's by workloadRef).
 */
import type * as t from '../document/types';
import { DEFAULTS } from '../document/defaults';
import type { ResolvedAutoscaling, ResolvedContainer, ResolvedEnvFrom, ResolvedExtraContainer, ResolvedHandler, ResolvedPodExtras, ResolvedWorkloadRef } from './model';

/** Init containers and sidecars get the app's default resources for what they leave unset. */
function extraContainer(c: t.ExtraContainerSpec): ResolvedExtraContainer {
  return {
    name: c.name,
    image: c.image,
    command: c.command,
    args: c.args,
    env: c.env ?? [],
    envFrom: envFrom(c.envFrom),
    resources: {
      requests: { ...DEFAULTS.requests, ...c.resources?.requests },
      limits: { ...DEFAULTS.limits, ...c.resources?.limits },
    },
  };
}

export function resolvePodExtras(spec: t.CanaryAppSpec): ResolvedPodExtras {
  const sched = spec.scheduling ?? {};
  return {
    initContainers: (spec.initContainers ?? []).map(extraContainer),
    sidecars: (spec.sidecars ?? []).map(extraContainer),
    volumes: spec.volumes ?? [],
    imagePullSecrets: (spec.imagePullSecrets ?? []).map((name) => ({ name })),
    terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
    nodeSelector: sched.nodeSelector ?? {},
    tolerations: sched.tolerations ?? [],
    topologySpreadConstraints: (sched.topologySpreadConstraints ?? []).map((c) => ({
      topologyKey: c.topologyKey,
      maxSkew: c.maxSkew ?? DEFAULTS.spreadMaxSkew,
      whenUnsatisfiable: c.whenUnsatisfiable ?? DEFAULTS.spreadWhenUnsatisfiable,
    })),
    priorityClassName: sched.priorityClassName,
    affinity: sched.affinity ?? {},
  };
}

/** What the app container gets beyond the base fields: envFrom and lifecycle hooks. */
export function containerExtras(spec: t.CanaryAppSpec): Pick<ResolvedContainer, 'envFrom' | 'lifecycle'> {
  const hooks = spec.lifecycle ?? {};
  return {
    envFrom: envFrom(spec.envFrom),
    lifecycle: {
      ...(hooks.preStop ? { preStop: handler(hooks.preStop) } : {}),
      ...(hooks.postStart ? { postStart: handler(hooks.postStart) } : {}),
    },
  };
}

/** ConfigMap and Secret sources in Kubernetes' shape. */
function envFrom(list: readonly t.EnvFromSpec[] | undefined): ResolvedEnvFrom[] {
  const ref = (name: string, optional: boolean | undefined) => (optional === undefined ? { name } : { name, optional });
  return (list ?? []).map((e) => ({
    ...(e.prefix !== undefined ? { prefix: e.prefix } : {}),
    ...(e.configMap !== undefined ? { configMapRef: ref(e.configMap, e.optional) } : {}),
    ...(e.secret !== undefined ? { secretRef: ref(e.secret, e.optional) } : {}),
  }));
}

type Handler = NonNullable<t.LifecycleSpec['preStop']>;
/** An httpGet hook without a port calls the app's `http` port, as the probes do. */
function handler(h: Handler): ResolvedHandler {
  if (h.httpGet) return { httpGet: { ...h.httpGet, port: h.httpGet.port ?? 'http' } };
  return h.exec ? { exec: { command: [...h.exec.command] } } : { sleep: { ...h.sleep! } };
}

export function resolveAutoscaling(name: string, a: t.AutoscalingSpec | undefined): ResolvedAutoscaling | undefined {
  if (!a) return undefined;
  return {
    name,
    minReplicas: a.minReplicas ?? DEFAULTS.minReplicas,
    maxReplicas: a.maxReplicas,
    cpuUtilization: a.cpuUtilization,
    memoryUtilization: a.memoryUtilization,
    metrics: a.metrics ?? [],
  };
}

export function resolveWorkloadRef(w: t.WorkloadRefSpec | undefined): ResolvedWorkloadRef | undefined {
  return w && { name: w.name, scaleDown: w.scaleDown ?? DEFAULTS.workloadScaleDown };
}
