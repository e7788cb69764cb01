import { Construct } from 'constructs';
import { ApiObject, Chart } from 'cdk8s';
import * as k8s from './k8s';
import type { AppMetadata, CanaryAppSpec } from '../document/types';
import type { ResolvedApp } from '../model/model';
import type { SpecIssue } from '../document/errors';
import { checkSpec } from '../load/parse';
import { objectMeta, SYNC_WAVE_ANNOTATION, syncWave } from './metadata';
import { plainObject } from './render';
import { CanaryServices } from './canary-services';
import { CanaryIngress } from './canary-ingress';
import { AppServiceMonitor } from './service-monitor';
import { CanaryAnalysisTemplate } from './analysis-template';
import { CanaryRollout } from './rollout';
import { routerObjects } from './routers';
import { AppAutoscaler, AppDisruptionBudget } from './production';

export interface ResolvedCanaryAppProps {
  /** The resolved model to build from (see `resolve`): defaults applied, references turned into names. */
  readonly model: ResolvedApp;
}

/**
 * The objects of one resolved app: ServiceAccount, stable/canary/root Services, Ingress, the router's objects,
 * AnalysisTemplates, ServiceMonitor and the Rollout that ties them together. Targets that change the
 * model before building (Helm substitutes values) use this; everyone else uses `CanaryApp`.
 */
export class ResolvedCanaryApp extends Construct {
  /** The resolved model every object was built from. */
  public readonly model: ResolvedApp;
  public readonly serviceAccount?: k8s.KubeServiceAccount;
  public readonly services: CanaryServices;
  public readonly ingress?: CanaryIngress;
  /** The objects the traffic router creates, if any (Istio: VirtualService, DestinationRule; Gateway API: the route). */
  public readonly router?: Construct;
  public readonly analysisTemplates: readonly CanaryAnalysisTemplate[];
  public readonly serviceMonitor?: AppServiceMonitor;
  public readonly rollout: CanaryRollout;
  public readonly autoscaler?: AppAutoscaler;
  public readonly disruptionBudget?: AppDisruptionBudget;

  constructor(scope: Construct, id: string, props: ResolvedCanaryAppProps) {
    super(scope, id);
    const app = this.model = props.model;
    if (app.serviceAccount) {
      this.serviceAccount = plainObject(k8s.KubeServiceAccount, k8s.toJson_KubeServiceAccountProps, this, 'service-account', {
        metadata: objectMeta(app, app.serviceAccount.name, { annotations: app.serviceAccount.annotations }),
        automountServiceAccountToken: app.pod.automountServiceAccountToken,
      });
    }
    this.services = new CanaryServices(this, 'services', { app });
    if (app.ingress) this.ingress = new CanaryIngress(this, 'ingress', { app });
    this.router = routerObjects(this, app);
    this.analysisTemplates = app.analysisTemplates.map((template) =>
      new CanaryAnalysisTemplate(this, `analysis-${template.specName}`, { app, template }));
    if (app.serviceMonitor) this.serviceMonitor = new AppServiceMonitor(this, 'service-monitor', { app });
    // In the Rollout's sync wave (see syncWave): both watch its pods.
    if (app.autoscaling) this.autoscaler = new AppAutoscaler(this, 'autoscaler', { app, autoscaling: app.autoscaling });
    if (app.podDisruptionBudget) this.disruptionBudget = new AppDisruptionBudget(this, 'disruption-budget', { app });
    this.rollout = new CanaryRollout(this, 'rollout', { app });
    for (const obj of this.node.findAll()) {
      if (obj instanceof ApiObject) obj.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(syncWave(obj.kind)));
    }
  }
}

export interface CanaryAppProps {
  /** The app's spec, exactly as under `spec:` in a CanaryApp file. */
  readonly spec: CanaryAppSpec;
  /**
   * Name, namespace, labels and annotations, as under `metadata:` in a CanaryApp file.
   * @default { name: <construct id>, namespace: <the enclosing Chart's namespace, else "default"> }
   */
  readonly metadata?: Partial<AppMetadata>;
}

/**
 * The whole progressive-delivery setup of one application from its spec (see `ResolvedCanaryApp` for
 * the objects). The spec is checked completely in the constructor; an invalid one throws a
 * `SpecValidationError` listing every problem with its path.
 */
export class CanaryApp extends ResolvedCanaryApp {
  /** Non-fatal findings about the spec. */
  public readonly warnings: readonly SpecIssue[];

  constructor(scope: Construct, id: string, props: CanaryAppProps) {
    const metadata = props.metadata ?? {};
    const checked = checkSpec({ ...metadata, name: metadata.name ?? id, namespace: metadata.namespace ?? Chart.of(scope).namespace }, props.spec);
    super(scope, id, { model: checked.model });
    this.warnings = checked.warnings;
  }
}
