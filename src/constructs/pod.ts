/**
 * The pod template of the app and of analysis Jobs, as plain Kubernetes JSON. It is shared by the Rollout
 * and the Job metric provider, whose generated construct types differ although the API shape is the same,
 * so it is built once here and validated against both schemas in the tests.
 */
import type * as t from '../document/types';
import type { ResolvedContainer } from '../model/model';
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
}

export interface PodInput {
  readonly containers: readonly ContainerInput[];
  readonly serviceAccountName?: string;
  readonly automountServiceAccountToken: boolean;
  readonly security: ResolvedContainer['security'];
  readonly restartPolicy?: 'Always' | 'Never';
}

/** A read-only root filesystem still needs a writable /tmp for most runtimes. */
const TMP_VOLUME = 'tmp';

export function podSpec(input: PodInput): Record<string, unknown> {
  const sec = input.security;
  return compact({
    serviceAccountName: input.serviceAccountName,
    automountServiceAccountToken: input.automountServiceAccountToken,
    restartPolicy: input.restartPolicy,
    securityContext: compact({
      runAsNonRoot: sec.runAsNonRoot,
      runAsUser: sec.runAsUser,
      runAsGroup: sec.runAsGroup,
      fsGroup: sec.fsGroup,
      seccompProfile: { type: sec.seccompProfile },
    }),
    containers: input.containers.map(container),
    volumes: [{ name: TMP_VOLUME, emptyDir: {} }],
  });
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
    resources: c.resources,
    readinessProbe: c.readinessProbe,
    livenessProbe: c.livenessProbe,
    startupProbe: c.startupProbe,
    securityContext: compact({
      runAsNonRoot: sec.runAsNonRoot,
      runAsUser: sec.runAsUser,
      runAsGroup: sec.runAsGroup,
      readOnlyRootFilesystem: sec.readOnlyRootFilesystem,
      allowPrivilegeEscalation: sec.allowPrivilegeEscalation,
      capabilities: compact({ drop: ['ALL'], add: sec.addCapabilities.length > 0 ? sec.addCapabilities : undefined }),
    }),
    volumeMounts: [{ name: TMP_VOLUME, mountPath: '/tmp' }],
  });
}
