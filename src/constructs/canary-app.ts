import { Construct } from 'constructs';
import { ApiObject, Chart } from 'cdk8s';
import * as k8s from './k8s';
import type { AppMetadata, CanaryAppSpec } from '../document/types';
import type { ResolvedApp } from '../model/model';
import type { SpecIssue } from '../document/errors';
import { checkSpec } from '../load/parse';
import { resolve } from '../model/resolve';
import { objectMeta, SYNC_WAVE_ANNOTATION, syncWave } from './metadata';
import { plainObject } from './render';
import { CanaryServices } from './canary-services';
import { CanaryIngress } from './canary-ingress';
import { AppServiceMonitor } from './service-monitor';
import { CanaryAnalysisTemplate } from './analysis-template';
import { CanaryRollout } from './rollout';

/** Metadata for a CanaryApp built from code; everything is optional. */
export interface CanaryAppMetadata {
  /** @default the construct id */
  readonly name?: string;
  /** @default the enclosing Chart's namespace, else "default" */
  readonly namespace?: string;
  /** @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * The whole canary setup of one application: ServiceAccount, stable/canary/root Services, Ingress,
 * AnalysisTemplates, ServiceMonitor and the Rollout that ties them together.
 *
 * The spec is checked completely in the constructor; an invalid one throws a `SpecValidationError`
 * listing every problem with its path.
 */
export class CanaryApp extends Construct {
  /** Builds from a model that is already resolved (targets that parameterise values use this). */
  public static fromResolved(scope: Construct, id: string, model: ResolvedApp): CanaryApp {
    return new CanaryApp(scope, id, model);
  }

  /** The resolved model every object was built from. */
  public readonly model: ResolvedApp;
  /** Non-fatal findings about the spec. */
  public readonly warnings: readonly SpecIssue[];
  public readonly serviceAccount?: k8s.KubeServiceAccount;
  public readonly services: CanaryServices;
  public readonly ingress?: CanaryIngress;
  public readonly analysisTemplates: readonly CanaryAnalysisTemplate[];
  public readonly serviceMonitor?: AppServiceMonitor;
  public readonly rollout: CanaryRollout;

  constructor(scope: Construct, id: string, spec: CanaryAppSpec, metadata?: CanaryAppMetadata);
  constructor(scope: Construct, id: string, model: ResolvedApp);
  constructor(scope: Construct, id: string, specOrModel: CanaryAppSpec | ResolvedApp, metadata: CanaryAppMetadata = {}) {
    super(scope, id);
    if (isResolved(specOrModel)) {
      this.model = specOrModel;
      this.warnings = [];
    } else {
      const meta: AppMetadata = {
        ...metadata,
        name: metadata.name ?? id,
        namespace: metadata.namespace ?? Chart.of(this).namespace,
      };
      const checked = checkSpec(meta, specOrModel);
      this.model = resolve(checked.meta, checked.spec);
      this.warnings = checked.warnings;
    }
    const app = this.model;

    if (app.serviceAccount) {
      this.serviceAccount = plainObject(k8s.KubeServiceAccount, k8s.toJson_KubeServiceAccountProps, this, 'service-account', {
        metadata: objectMeta(app, app.serviceAccount.name),
        automountServiceAccountToken: app.pod.automountServiceAccountToken,
      });
    }
    this.services = new CanaryServices(this, 'services', { app });
    if (app.ingress) this.ingress = new CanaryIngress(this, 'ingress', { app });
    this.analysisTemplates = app.analysisTemplates.map((template) =>
      new CanaryAnalysisTemplate(this, `analysis-${template.specName}`, { app, template }));
    if (app.serviceMonitor) this.serviceMonitor = new AppServiceMonitor(this, 'service-monitor', { app });
    this.rollout = new CanaryRollout(this, 'rollout', { app });
    for (const obj of this.node.findAll()) {
      if (obj instanceof ApiObject) obj.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(syncWave(obj.kind)));
    }
  }
}

function isResolved(x: CanaryAppSpec | ResolvedApp): x is ResolvedApp {
  return (x as ResolvedApp).selectorLabels !== undefined;
}
