/**
 * The app's pods as the API server and the kubelet will judge them: a pinned image, quantities and
 * requests within limits, probes on ports that exist, a non-root user that can start, env vars the
 * downward API can fill (the same check serves analysis Jobs' env).
 */
import type * as t from '../document/types';
import { error, joinPath, show, SpecIssue } from '../document/errors';
import { imageRef } from '../model/resolve';
import type { Rule } from './context';
import { duplicates } from './names';
import { parseQuantity } from '../document/patterns';

/** What `fieldpath.ExtractFieldPathAsString` resolves on an object (the downward API on metadata). */
export const METADATA_FIELDS = /^metadata\.(name|namespace|uid|labels|annotations)$|^metadata\.(labels|annotations)\['[^']+'\]$/;
/** Pod fields the downward API exposes to environment variables, besides metadata. */
const POD_ENV_FIELDS = new Set(['spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs']);
const RESOURCE_FIELDS = /^(limits|requests)\.(cpu|memory|ephemeral-storage)$/;

/** Env vars of a container (the app's, or an analysis Job's). */
export function envRules(env: readonly t.EnvVar[], path: string): SpecIssue[] {
  const issues: SpecIssue[] = [];
  env.forEach((e, i) => {
    const fieldPath = e.valueFrom?.fieldRef?.fieldPath;
    if (fieldPath !== undefined && !METADATA_FIELDS.test(fieldPath) && !POD_ENV_FIELDS.has(fieldPath)) {
      issues.push(error(`${path}[${i}].valueFrom.fieldRef.fieldPath`, `${show(fieldPath)} is not a pod field the downward API supports (metadata.name, metadata.labels['key'], status.podIP, ...)`));
    }
    const resource = e.valueFrom?.resourceFieldRef?.resource;
    if (resource !== undefined && !RESOURCE_FIELDS.test(resource)) {
      issues.push(error(`${path}[${i}].valueFrom.resourceFieldRef.resource`, `${show(resource)} is not one of limits.cpu, limits.memory, limits.ephemeral-storage, requests.cpu, ...`));
    }
  });
  return issues;
}

export const podRules: readonly Rule[] = [
  {
    // A canary compares two identifiable versions, so an implicit or floating tag is refused.
    name: 'image-pinned',
    *check({ spec, path }) {
      if (spec.image === undefined) return; // a workloadRef's Deployment brings the image
      const ref = imageRef(spec.image);
      if (typeof spec.image === 'string') {
        if (!/^[^@]+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$/.test(ref.replace(/^[^/]+:[0-9]+\//, 'x/')) || /:latest$/.test(ref)) {
          yield error(path('image'), `${show(ref)} must name a tag other than latest or a sha256 digest`);
        }
      } else if (spec.image.tag === undefined && spec.image.digest === undefined) {
        yield error(path('image'), 'must set tag or digest');
      } else if (spec.image.tag === 'latest' && spec.image.digest === undefined) {
        yield error(path('image.tag'), '"latest" is not allowed: pin a version or a digest');
      }
    },
  },
  {
    name: 'env-names-unique',
    check: ({ spec, path }) => duplicates((spec.env ?? []).map((e) => e.name), (i) => path(`env[${i}].name`)),
  },
  {
    name: 'resources-within-limits',
    *check({ spec, model, path }) {
      if (!model.container) return;
      // The model holds the requests and limits with the defaults merged in.
      const requests: Record<string, string | undefined> = { ...model.container.resources.requests };
      const limits: Record<string, string | undefined> = { ...model.container.resources.limits };
      // The schema has checked the quantities' form; a negative one is well formed.
      for (const [kind, list] of [['requests', requests], ['limits', limits]] as const) {
        for (const [res, value] of Object.entries(list)) {
          if (value !== undefined && parseQuantity(value)! < 0) yield error(joinPath(path(`resources.${kind}`), [res]), `${show(value)} must be >= 0`);
        }
      }
      for (const res of Object.keys(requests)) {
        const r = requests[res] === undefined ? undefined : parseQuantity(requests[res]);
        const l = limits[res] === undefined ? undefined : parseQuantity(limits[res]);
        if (r !== undefined && l !== undefined && r > l) {
          const which = spec.resources?.limits?.[res as keyof t.ResourceList] === undefined ? ' (the default limit; set resources.limits)' : '';
          yield error(joinPath(path('resources.requests'), [res]), `${show(requests[res])} is more than the limit ${show(limits[res])}${which}; the API server rejects the pod template`);
        }
      }
    },
  },
  {
    name: 'probes-valid',
    *check({ spec, model, path }) {
      // The named container ports probes can refer to: `metrics` only when it is a port of its own.
      const ports = model.ports.metrics !== undefined && model.ports.metrics !== model.ports.http ? ['http', 'metrics'] : ['http'];
      for (const kind of ['readiness', 'liveness', 'startup'] as const) {
        const probe = spec.probes?.[kind];
        if (!probe) continue;
        const pp = path(`probes.${kind}`);
        if (kind !== 'readiness' && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
          yield error(`${pp}.successThreshold`, `${probe.successThreshold} must be 1 for ${kind} probes`);
        }
        const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
        if (typeof port === 'string' && !ports.includes(port)) {
          yield error(`${pp}.${probe.httpGet ? 'httpGet' : 'tcpSocket'}.port`, `${show(port)} is not a container port name (named ports: ${ports.join(', ')})`);
        }
      }
    },
  },
  {
    name: 'runs-as-non-root',
    *check({ spec, path }) {
      if (spec.security?.runAsUser === 0 && spec.security.runAsNonRoot !== false) {
        yield error(path('security.runAsUser'), '0 is root, but runAsNonRoot is true; the kubelet refuses to start the container');
      }
    },
  },
  {
    name: 'env-downward-api',
    check: ({ spec, path }) => envRules(spec.env ?? [], path('env')),
  },
];
