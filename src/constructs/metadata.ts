import type { ResolvedApp } from '../model/model';

/** What owns objects: an app, or an AnalysisLibrary (its templates). */
export type ObjectOwner = Pick<ResolvedApp, 'name' | 'namespace' | 'labels' | 'annotations'>;

/** Metadata of an object the app (or library) owns: its name, the owner's namespace, common labels and annotations. */
export function objectMeta(app: ObjectOwner, name: string, extra: { labels?: Record<string, string>; annotations?: Readonly<Record<string, string>> } = {}) {
  const annotations = { ...app.annotations, ...(extra.annotations ?? {}) };
  return {
    name,
    namespace: app.namespace,
    labels: { ...app.labels, ...(extra.labels ?? {}) },
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
}

/** Drops keys whose value is undefined, so optional fields never appear as `null`. */
export function compact<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const key in obj) if (obj[key] !== undefined) out[key] = obj[key];
  return out as T;
}

/** Argo CD applies objects wave by wave, lowest first, and waits for each wave to be healthy. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * Kinds whose health Argo CD judges by the Rollout's pods or scale, so they go in its wave: a
 * HorizontalPodAutoscaler before its target exists is Degraded (AbleToScale FailedGetScale) and a
 * PodDisruptionBudget is healthy only once the disruption controller has counted the pods it guards;
 * a wave before the Rollout would fail (Degraded) or wait (Progressing), and the Rollout would never be applied.
 */
const ROLLOUT_WAVE_KINDS: ReadonlySet<string> = new Set(['Rollout', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']);

/**
 * The sync wave of a kind: everything the Rollout refers to (Services, Ingress, AnalysisTemplates,
 * ServiceAccount) goes before it, what watches its pods (ROLLOUT_WAVE_KINDS) with it, and nothing
 * after it, because a paused Rollout is Suspended and Argo CD would never start a later wave.
 * Pulumi orders its dependsOn by the same waves.
 */
export function syncWave(kind: string): number {
  return ROLLOUT_WAVE_KINDS.has(kind) ? 0 : -1;
}
