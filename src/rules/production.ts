/**
 * Production controls: the HPA and who owns the replicas, the PodDisruptionBudget, the pod's further
 * containers, volumes and spreading (as the API server judges them), the progress deadline, the scale-down
 * timing fields argo-rollouts v1.9.1 mishandles, and the workloadRef pod source.
 */
import type * as t from '../document/types';
import { error, show, warning } from '../document/errors';
import { CONTROLLER_DEFAULTS, DEFAULTS } from '../document/defaults';
import type { Rule } from './context';
import { duplicates } from './names';

/** Pods an int-or-percent count means out of `replicas` (percentages round up, as the disruption controller does for minAvailable). */
function podCount(v: number | string, replicas: number): number {
  return typeof v === 'number' ? v : Math.ceil((Number(v.slice(0, -1)) * replicas) / 100);
}

/** Fields of a pod template, which a workloadRef Rollout takes from its Deployment. */
const TEMPLATE_FIELDS = [
  'command', 'args', 'env', 'envFrom', 'resources', 'probes', 'security', 'podLabels', 'podAnnotations', 'serviceAccount',
  'initContainers', 'sidecars', 'volumes', 'lifecycle', 'imagePullSecrets', 'terminationGracePeriodSeconds', 'scheduling',
] as const satisfies readonly (keyof t.CanaryAppSpec)[];

export const productionRules: readonly Rule[] = [
  {
    // The HPA writes the Rollout's scale subresource; a replicas in the manifest would undo it on each apply.
    name: 'autoscaling-replicas',
    *check({ spec, path }) {
      const a = spec.autoscaling;
      if (!a) return;
      if (spec.replicas !== undefined) yield error(path('replicas'), 'is owned by the HPA (spec.autoscaling); set autoscaling.minReplicas instead');
      const min = a.minReplicas ?? DEFAULTS.minReplicas;
      if (min > a.maxReplicas) yield error(path('autoscaling.minReplicas'), `${min} is more than maxReplicas ${a.maxReplicas}; the API server rejects the HPA`);
      for (const [i, s] of (spec.canary?.steps ?? []).entries()) {
        if (s.setCanaryScale?.replicas !== undefined) {
          yield warning(path(`canary.steps[${i}].setCanaryScale.replicas`), 'is a fixed count: it does not follow the HPA (use setCanaryScale.weight, a share of the replicas the HPA sets)');
        }
      }
    },
  },
  {
    name: 'disruption-budget',
    *check({ spec, path, model }) {
      const pdb = spec.podDisruptionBudget;
      if (!pdb) return;
      // With an HPA the fewest pods there can be is minReplicas: the budget must allow an eviction there.
      const replicas = model.replicas;
      const what = spec.autoscaling ? `autoscaling.minReplicas (${replicas})` : `replicas (${replicas})`;
      if (pdb.minAvailable !== undefined && podCount(pdb.minAvailable, replicas) >= replicas) {
        yield warning(path('podDisruptionBudget.minAvailable'), `${show(pdb.minAvailable)} is at least ${what}: no pod can ever be evicted, so node drains block until someone deletes a pod by hand`);
      }
      if (pdb.maxUnavailable !== undefined && podCount(pdb.maxUnavailable, replicas) === 0) {
        yield warning(path('podDisruptionBudget.maxUnavailable'), `${show(pdb.maxUnavailable)} allows no pod to be evicted: node drains block until someone deletes a pod by hand`);
      }
    },
  },
  {
    // The API server refuses a pod template with two containers, volumes or mounts of one name or path.
    name: 'pod-parts-unique',
    *check({ spec, path, meta }) {
      const containers = [
        ...(spec.initContainers ?? []).map((c, i) => ({ name: c.name, at: `initContainers[${i}].name` })),
        ...(spec.sidecars ?? []).map((c, i) => ({ name: c.name, at: `sidecars[${i}].name` })),
      ];
      for (const c of containers) if (c.name === meta.name) yield error(path(c.at), `${show(c.name)} is the app container's name`);
      yield* duplicates(containers.map((c) => c.name), (i) => path(containers[i].at), 'container name');
      const volumes = spec.volumes ?? [];
      for (const [i, v] of volumes.entries()) {
        if (v.name === 'tmp') yield error(path(`volumes[${i}].name`), '"tmp" is the app\'s writable /tmp volume');
        if (v.mountPath === '/tmp' || v.mountPath.startsWith('/tmp/')) yield error(path(`volumes[${i}].mountPath`), `${show(v.mountPath)} is inside the app's /tmp volume`);
      }
      yield* duplicates(volumes.map((v) => v.name), (i) => path(`volumes[${i}].name`), 'volume name');
      yield* duplicates(volumes.map((v) => v.mountPath), (i) => path(`volumes[${i}].mountPath`), 'mount path');
      const spread = spec.scheduling?.topologySpreadConstraints ?? [];
      yield* duplicates(spread.map((c) => `${c.topologyKey} ${c.whenUnsatisfiable ?? 'ScheduleAnyway'}`),
        (i) => path(`scheduling.topologySpreadConstraints[${i}]`), 'topologyKey and whenUnsatisfiable pair');
      for (const [i, c] of containers.entries()) {
        const image = [...(spec.initContainers ?? []), ...(spec.sidecars ?? [])][i].image;
        if (!/[:@]/.test(image.replace(/^[^/]+:[0-9]+\//, 'x/')) || /:latest$/.test(image)) {
          yield error(path(c.at.replace(/name$/, 'image')), `${show(image)} must name a tag other than latest or a sha256 digest`);
        }
      }
      for (const [i, tol] of (spec.scheduling?.tolerations ?? []).entries()) {
        if (tol.operator === 'Exists' && tol.value !== undefined) yield error(path(`scheduling.tolerations[${i}].value`), 'must be empty with operator Exists');
        if (tol.key === undefined && tol.operator !== 'Exists') yield error(path(`scheduling.tolerations[${i}].operator`), 'must be Exists when key is empty');
        if (tol.tolerationSeconds !== undefined && tol.effect !== 'NoExecute') yield error(path(`scheduling.tolerations[${i}].tolerationSeconds`), 'applies only to effect NoExecute');
      }
    },
  },
  {
    name: 'progress-deadline',
    *check({ spec, path }) {
      const deadline = spec.progressDeadlineSeconds ?? CONTROLLER_DEFAULTS.progressDeadlineSeconds;
      const minReady = spec.minReadySeconds ?? 0;
      if (deadline <= minReady) {
        const at = spec.progressDeadlineSeconds === undefined ? 'minReadySeconds' : 'progressDeadlineSeconds';
        yield error(path(at), `progressDeadlineSeconds (${deadline}${spec.progressDeadlineSeconds === undefined ? ', the controller default' : ''}) must be more than minReadySeconds (${minReady}); the controller rejects the Rollout`);
      }
    },
  },
  {
    name: 'scale-down-timing',
    *check({ spec, path }) {
      const c = spec.canary;
      if (c?.dynamicStableScale && c.abortScaleDownDelaySeconds !== undefined && c.abortScaleDownDelaySeconds > 0) {
        yield error(path('canary.abortScaleDownDelaySeconds'), 'with dynamicStableScale, an abort deadlocks in argo-rollouts v1.9.1: the canary is never scaled down and traffic never returns to stable (argoproj/argo-rollouts#4898); leave it out (the canary is scaled down with the weight) or set 0');
      }
      const bg = spec.blueGreen;
      if (bg?.scaleDownDelaySeconds === 0 && bg.scaleDownDelayRevisionLimit !== undefined && bg.scaleDownDelayRevisionLimit > 1) {
        yield warning(path('blueGreen.scaleDownDelaySeconds'), `0 keeps only the last old ReplicaSet up, not ${bg.scaleDownDelayRevisionLimit} (argoproj/argo-rollouts#1639); give a long delay instead`);
      }
    },
  },
  {
    // The pod template is the Deployment's; the controller refuses a Rollout with both (V:ValidateRolloutSpec).
    name: 'workload-ref',
    *check({ spec, path }) {
      const ref = spec.workloadRef;
      if (!ref) return;
      for (const key of TEMPLATE_FIELDS) {
        if (spec[key] !== undefined) yield error(path(key), `is part of the pod template, which comes from Deployment ${show(ref.name)} (workloadRef): set it there`);
      }
      if (ref.scaleDown === 'onsuccess' && spec.blueGreen?.postPromotionAnalysis) {
        yield error(path('workloadRef.scaleDown'), '"onsuccess" never scales the Deployment down with a blue-green postPromotionAnalysis in argo-rollouts v1.9.1 (argoproj/argo-rollouts#4681); use "progressively" or drop the analysis for the migration');
      }
    },
  },
  {
    // What the API server checks of each requirement (ValidateNodeSelectorRequirement,
    // ValidateLabelSelectorRequirement): the schema has the operators, this their values.
    name: 'affinity-requirements',
    *check({ spec, path }) {
      const affinity = spec.scheduling?.affinity;
      if (!affinity) return;
      type Requirement = { readonly operator: string; readonly values?: readonly string[] };
      function* values(reqs: readonly Requirement[] | undefined, at: string) {
        for (const [i, r] of (reqs ?? []).entries()) {
          const n = r.values?.length ?? 0;
          const here = path(`${at}[${i}].values`);
          if ((r.operator === 'In' || r.operator === 'NotIn') && n === 0) yield error(here, `must not be empty with operator ${r.operator}`);
          if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && n > 0) yield error(here, `must be empty with operator ${r.operator}`);
          if ((r.operator === 'Gt' || r.operator === 'Lt') && (n !== 1 || !/^-?[0-9]+$/.test(r.values![0]))) yield error(here, `must be one integer with operator ${r.operator}`);
        }
      }
      const node = affinity.nodeAffinity;
      const base = 'scheduling.affinity';
      for (const [i, term] of (node?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []).entries()) {
        const at = `${base}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[${i}]`;
        yield* values(term.matchExpressions, `${at}.matchExpressions`);
        yield* values(term.matchFields, `${at}.matchFields`);
      }
      for (const [i, p] of (node?.preferredDuringSchedulingIgnoredDuringExecution ?? []).entries()) {
        const at = `${base}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}].preference`;
        yield* values(p.preference.matchExpressions, `${at}.matchExpressions`);
        yield* values(p.preference.matchFields, `${at}.matchFields`);
      }
      for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
        const a = affinity[kind];
        const terms = [
          ...(a?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((term, i) => ({ term, at: `${base}.${kind}.requiredDuringSchedulingIgnoredDuringExecution[${i}]` })),
          ...(a?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((p, i) => ({ term: p.podAffinityTerm, at: `${base}.${kind}.preferredDuringSchedulingIgnoredDuringExecution[${i}].podAffinityTerm` })),
        ];
        for (const { term, at } of terms) {
          yield* values(term.labelSelector?.matchExpressions, `${at}.labelSelector.matchExpressions`);
          yield* values(term.namespaceSelector?.matchExpressions, `${at}.namespaceSelector.matchExpressions`);
        }
      }
    },
  },
];
