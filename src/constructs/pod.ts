/**
 * The pod template of the app and of analysis Jobs, as plain Kubernetes JSON. It is shared by the Rollout
 * and the Job metric provider, whose generated construct types differ although the API shape is the same,
 * so it is built once here and validated against both schemas in the tests.
 */
import type * as t from '../document/types';
import type { Labels, ResolvedContainer, ResolvedEnvFrom, ResolvedLifecycle, ResolvedPodExtras } from '../model/model';
import { POD_TEMPLATE_HASH_LABEL } from '../model/controller-owned';
import { compact } from './metadata';

export interface ContainerInput {
  readonly name: string;
  readonly image: string;
  readonly imagePullPolicy?: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: readonly t.EnvVar[];
  readonly ports?: readonly { name: string; containerPort: number }[];
  readonly resources: ResolvedContainer['resources'];
  readonly security: ResolvedContainer['security'];
  readonly readinessProbe?: t.ProbeSpec;
  readonly livenessProbe?: t.ProbeSpec;
  readonly startupProbe?: t.ProbeSpec;
  readonly envFrom?: readonly ResolvedEnvFrom[];
  readonly lifecycle?: ResolvedLifecycle;
  /** ConfigMap and Secret volumes mounted (read-only) into this container. @default [] */
  readonly volumes?: readonly t.VolumeSpec[];
}

export interface PodInput {
  readonly containers: readonly ContainerInput[];
  readonly serviceAccountName?: string;
  readonly automountServiceAccountToken: boolean;
  readonly security: ResolvedContainer['security'];
  readonly restartPolicy?: 'Always' | 'Never';
  /** The app's pod template beyond its containers, with the app's selector labels that spreading selects by. */
  readonly extras?: ResolvedPodExtras & { readonly selectorLabels: Labels };
}

/** A read-only root filesystem still needs a writable /tmp for most runtimes. */
const TMP_VOLUME = 'tmp';

export function podSpec(input: PodInput): Record<string, unknown> {
  const sec = input.security;
  const x = input.extras;
  const extra = (c: ResolvedPodExtras['sidecars'][number]): ContainerInput => ({ ...c, security: sec });
  return compact({
    serviceAccountName: input.serviceAccountName,
    automountServiceAccountToken: input.automountServiceAccountToken,
    restartPolicy: input.restartPolicy,
    imagePullSecrets: nonEmpty(x?.imagePullSecrets),
    terminationGracePeriodSeconds: x?.terminationGracePeriodSeconds,
    priorityClassName: x?.priorityClassName,
    nodeSelector: x && Object.keys(x.nodeSelector).length > 0 ? { ...x.nodeSelector } : undefined,
    tolerations: nonEmpty(x?.tolerations),
    affinity: x && Object.keys(x.affinity).length > 0 ? x.affinity : undefined,
    // Each ReplicaSet spreads on its own (matchLabelKeys, Kubernetes >= 1.27): the canary's few pods
    // are spread too, instead of counting as skew against the stable ones.
    topologySpreadConstraints: nonEmpty(x?.topologySpreadConstraints.map((c) => ({
      ...c, labelSelector: { matchLabels: { ...x.selectorLabels } }, matchLabelKeys: [POD_TEMPLATE_HASH_LABEL],
    }))),
    initContainers: nonEmpty(x?.initContainers.map((c) => container(extra(c)))),
    securityContext: compact({
      runAsNonRoot: sec.runAsNonRoot,
      runAsUser: sec.runAsUser,
      runAsGroup: sec.runAsGroup,
      fsGroup: sec.fsGroup,
      seccompProfile: { type: sec.seccompProfile },
    }),
    containers: [...input.containers, ...(x?.sidecars ?? []).map(extra)].map(container),
    volumes: [
      { name: TMP_VOLUME, emptyDir: {} },
      ...input.containers.flatMap((c) => c.volumes ?? []).map((v) => ({
        name: v.name,
        ...(v.configMap !== undefined
          ? { configMap: compact({ name: v.configMap, optional: v.optional }) }
          : { secret: compact({ secretName: v.secret, optional: v.optional }) }),
      })),
    ],
  });
}

function nonEmpty<T>(list: readonly T[] | undefined): readonly T[] | undefined {
  return list && list.length > 0 ? list : undefined;
}

function container(c: ContainerInput): Record<string, unknown> {
  const sec = c.security;
  return compact({
    name: c.name,
    image: c.image,
    imagePullPolicy: c.imagePullPolicy,
    command: c.command,
    args: c.args,
    ports: c.ports?.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: 'TCP' })),
    env: c.env && c.env.length > 0 ? c.env : undefined,
    envFrom: nonEmpty(c.envFrom),
    resources: c.resources,
    readinessProbe: c.readinessProbe,
    livenessProbe: c.livenessProbe,
    startupProbe: c.startupProbe,
    lifecycle: c.lifecycle && Object.keys(c.lifecycle).length > 0 ? c.lifecycle : undefined,
    securityContext: compact({
      runAsNonRoot: sec.runAsNonRoot,
      runAsUser: sec.runAsUser,
      runAsGroup: sec.runAsGroup,
      readOnlyRootFilesystem: sec.readOnlyRootFilesystem,
      allowPrivilegeEscalation: sec.allowPrivilegeEscalation,
      capabilities: compact({ drop: ['ALL'], add: sec.addCapabilities.length > 0 ? sec.addCapabilities : undefined }),
    }),
    volumeMounts: [{ name: TMP_VOLUME, mountPath: '/tmp' }, ...(c.volumes ?? []).map((v) => ({ name: v.name, mountPath: v.mountPath, readOnly: true }))],
  });
}
