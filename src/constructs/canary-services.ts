import { Construct } from 'constructs';
import * as k8s from './k8s';
import type { ResolvedApp, ResolvedService, ServiceRole } from '../model/model';
import { objectMeta } from './metadata';
import { plainObject } from './render';

export const SERVICE_ROLE_LABEL = 'canarykit.dev/service';

export interface CanaryServicesProps {
  /** The resolved app whose Services these are. */
  readonly app: ResolvedApp;
}

/**
 * The strategy's two Services (stable and canary, or active and preview) and root. All select every
 * pod of the app: the Argo Rollouts controller narrows the strategy's two with
 * `rollouts-pod-template-hash` at runtime, so the manifests must not carry a hash. Only the root
 * Service exposes the metrics port, which is what makes the ServiceMonitor scrape each pod exactly once.
 */
export class CanaryServices extends Construct {
  /** Every Service by its role (`stable`, `canary`, `active`, `preview`, `root`). */
  public readonly byRole: Readonly<Partial<Record<ServiceRole, k8s.KubeService>>>;

  constructor(scope: Construct, id: string, props: CanaryServicesProps) {
    super(scope, id);
    const { app } = props;
    this.byRole = Object.fromEntries(app.services.all.map((svc) => [svc.role, this.service(app, svc)]));
  }

  private service(app: ResolvedApp, svc: ResolvedService): k8s.KubeService {
    const role = svc.role;
    // canarykit names its container ports; a Deployment taken over by workloadRef may not, so its are numbers.
    const target = (name: string, port: number) => (app.workloadRef ? k8s.IntOrString.fromNumber(port) : k8s.IntOrString.fromString(name));
    const ports: k8s.ServicePort[] = [
      { name: 'http', port: app.ports.servicePort, targetPort: target('http', app.ports.http), protocol: 'TCP' },
    ];
    if (svc.exposeMetrics && app.ports.metrics !== undefined) {
      // An app serving metrics on its http port has no separate `metrics` container port.
      const name = app.ports.metrics === app.ports.http ? 'http' : 'metrics';
      ports.push({ name: 'metrics', port: app.ports.metrics, targetPort: target(name, app.ports.metrics), protocol: 'TCP' });
    }
    return plainObject(k8s.KubeService, k8s.toJson_KubeServiceProps, this, role, {
      metadata: objectMeta(app, svc.name, { labels: { [SERVICE_ROLE_LABEL]: role }, annotations: svc.annotations }),
      spec: { type: app.services.type, selector: { ...app.selectorLabels }, ports },
    });
  }
}
