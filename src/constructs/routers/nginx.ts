/** NGINX: the Rollout names the stable Ingress; the controller creates and weights the canary Ingress. */
import type { RolloutSpecStrategyCanaryTrafficRouting } from '../../../imports/argoproj.io';
import type { ResolvedNginxRouting } from '../../model/model';

export function nginxTrafficRouting(r: ResolvedNginxRouting): RolloutSpecStrategyCanaryTrafficRouting {
  return {
    nginx: {
      stableIngress: r.stableIngress,
      annotationPrefix: r.annotationPrefix,
      additionalIngressAnnotations: r.additionalIngressAnnotations && { ...r.additionalIngressAnnotations },
      canaryIngressAnnotations: r.canaryIngressAnnotations && { ...r.canaryIngressAnnotations },
    },
  };
}
