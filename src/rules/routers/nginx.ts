/** NGINX: the router clones the stable Ingress, so it needs one, and canary annotations go to the clone. */
import { error } from '../../document/errors';
import type { Rule } from '../context';

export const nginxRules: readonly Rule[] = [
  {
    name: 'nginx-needs-ingress',
    *check({ spec, path }) {
      if (!spec.ingress) yield error(path('trafficRouting.nginx'), 'needs spec.ingress: the NGINX router splits traffic of the stable Ingress');
    },
  },
];
