/** The Ingress as the API server and ingress controllers judge it (whatever the router). */
import { error, show, warning } from '../document/errors';
import type { Rule } from './context';

/** Path sequences the Ingress API refuses for Exact and Prefix paths (k8s networking validation). */
const BAD_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];

export const ingressRules: readonly Rule[] = [
  {
    name: 'ingress-canary-annotations',
    *check({ spec, path }) {
      for (const key of Object.keys(spec.ingress?.annotations ?? {})) {
        if (/\/canary(-|$)/.test(key)) {
          yield error(path(`ingress.annotations["${key}"]`), 'canary annotations belong on the controller-managed canary Ingress: use trafficRouting.nginx.additionalIngressAnnotations');
        }
      }
    },
  },
  {
    name: 'ingress-tls',
    *check({ spec, path }) {
      if (spec.ingress?.tlsSecretName === undefined && spec.ingress?.annotations?.['cert-manager.io/cluster-issuer']) {
        yield warning(path('ingress.tlsSecretName'), 'cert-manager annotation set but no TLS Secret name');
      }
    },
  },
  {
    name: 'ingress-host-and-path',
    *check({ model, path }) {
      const ing = model.ingress;
      if (!ing) return;
      if (ing.host !== undefined && /^[0-9.]+$/.test(ing.host)) yield error(path('ingress.host'), `${show(ing.host)} is an IP address; an Ingress host must be a DNS name`);
      const { path: at, pathType } = ing;
      if (pathType === 'ImplementationSpecific') return;
      const bad = BAD_PATH_SEQUENCES.find((s) => at.includes(s)) ?? ['/..', '/.'].find((s) => at.endsWith(s));
      if (bad) yield error(path('ingress.path'), `${show(at)} contains ${show(bad)}, which the Ingress API refuses for ${pathType} paths`);
      // ingress-nginx (strict-validate-path-type, on by default) refuses other characters in Exact and Prefix paths.
      else if (!/^\/[A-Za-z0-9_\-./~]*$/.test(at)) yield warning(path('ingress.path'), `${show(at)} has characters ingress-nginx refuses in ${pathType} paths; use pathType ImplementationSpecific for a regex`);
    },
  },
];
