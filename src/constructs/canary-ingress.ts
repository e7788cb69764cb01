import { Construct } from 'constructs';
import * as k8s from './k8s';
import type { ResolvedApp } from '../model/model';
import { objectMeta } from './metadata';
import { plainObject } from './render';

export interface CanaryIngressProps {
  /** The resolved app; its `ingress` must be set. */
  readonly app: ResolvedApp;
}

/**
 * The app's Ingress; with blue-green, a second host routes to the preview Service. With NGINX routing
 * the controller clones it into `<name>-<rollout>-canary` with the canary annotations, so this one
 * carries none and uses `ingressClassName` (the class annotation is deprecated and would be copied).
 */
export class CanaryIngress extends Construct {
  /** The Ingress object; the construct's default child, so `ApiObject.of()` finds it. */
  public readonly apiObject: k8s.KubeIngress;

  constructor(scope: Construct, id: string, props: CanaryIngressProps) {
    super(scope, id);
    const { app } = props;
    const ing = app.ingress!;
    this.apiObject = plainObject(k8s.KubeIngress, k8s.toJson_KubeIngressProps, this, 'Resource', {
      metadata: objectMeta(app, ing.name, { annotations: ing.annotations }),
      spec: {
        ingressClassName: ing.className,
        rules: [ing, ...(ing.preview ? [ing.preview] : [])].map(({ host, serviceName }) => ({
          host,
          http: {
            paths: [{
              path: ing.path,
              pathType: ing.pathType,
              backend: { service: { name: serviceName, port: { name: 'http' } } },
            }],
          },
        })),
      },
    }, (manifest) => {
      // Copied as a whole, past the converter: the chart's `ingress.tls` value takes the list's place.
      if (ing.tls.length > 0) (manifest.spec as Record<string, unknown>).tls = ing.tls;
    });
  }
}
