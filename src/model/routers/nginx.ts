/** NGINX Ingress: the controller clones the app's Ingress into a canary Ingress weighted by annotations. */
import type * as t from '../../document/types';
import type { ResolvedNginxRouting } from '../model';
import type { RouterCapabilities } from './capabilities';

/** The controller's NGINX router implements neither SetHeaderRoute nor SetMirrorRoute (header canaries are `canary-by-header` annotations). */
export const NGINX_CAPABILITIES: RouterCapabilities = { headerRoutes: false, mirrorRoutes: false };

export function resolveNginx(spec: t.NginxRoutingSpec, ingressName: string): ResolvedNginxRouting {
  return { kind: 'nginx', ...spec, stableIngress: ingressName };
}
