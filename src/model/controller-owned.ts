/**
 * What the Argo Rollouts controller writes into objects we own, for the targets that keep objects in
 * sync (Pulumi, Argo CD) and must neither report it as drift nor undo it.
 */
import type { KubeObject } from '../constructs/synth';
import { SERVICE_ROLE_LABEL } from '../constructs/canary-services';

/** Roles of the Services named in the Rollout's canary strategy; the root Service is never touched. */
const ROUTED_ROLES = new Set(['stable', 'canary']);

/**
 * The stable and canary Services: the controller adds `rollouts-pod-template-hash` to their selector
 * (an atomic map, so it then owns the whole selector) and a `managed-by-rollouts` annotation.
 */
export function isControllerRoutedService(obj: KubeObject): boolean {
  return obj.kind === 'Service' && ROUTED_ROLES.has(obj.metadata?.labels?.[SERVICE_ROLE_LABEL]);
}
