/** NGINX Ingress: the controller clones the app's Ingress into a canary Ingress weighted by annotations. */
import type * as t from '../../document/types';
import type { ResolvedNginxRouting } from '../model';

export function resolveNginx(spec: t.NginxRoutingSpec, ingressName: string): ResolvedNginxRouting {
  return { kind: 'nginx', ...spec, stableIngress: ingressName };
}
