import { Construct } from 'constructs';
import type { ResolvedApp } from '../model/model';
import { ServiceMonitor, toJson_ServiceMonitorProps } from '../../imports/monitoring.coreos.com';
import { plainObject } from './render';
import { objectMeta } from './metadata';
import { SERVICE_ROLE_LABEL } from './canary-services';
import { TRACK_LABEL } from '../model/strategies/track';

import { POD_TEMPLATE_HASH_LABEL } from '../model/controller-owned';

export interface AppServiceMonitorProps {
  /** The resolved app; its `serviceMonitor` and root Service must be set. */
  readonly app: ResolvedApp;
}

/**
 * Scrapes the root Service only: it selects every pod (stable and canary) once, whereas selecting the
 * stable and canary Services too would scrape each pod twice and double every rate in the analysis.
 */
export class AppServiceMonitor extends Construct {
  /** The ServiceMonitor object; the construct's default child, so `ApiObject.of()` finds it. */
  public readonly apiObject: ServiceMonitor;

  constructor(scope: Construct, id: string, props: AppServiceMonitorProps) {
    super(scope, id);
    const { app } = props;
    const sm = app.serviceMonitor!;
    this.apiObject = plainObject(ServiceMonitor, toJson_ServiceMonitorProps, this, 'Resource', {
      metadata: objectMeta(app, sm.name, { labels: { ...sm.selectorLabels } }),
      spec: {
        selector: { matchLabels: { ...app.selectorLabels, [SERVICE_ROLE_LABEL]: 'root' } },
        namespaceSelector: { matchNames: [app.namespace] },
        endpoints: [{ port: 'metrics', path: sm.path, interval: sm.interval, scrapeTimeout: sm.scrapeTimeout }],
        // Queries select the canary by its pod-template hash and track, which live on pods, not Services.
        podTargetLabels: [POD_TEMPLATE_HASH_LABEL, TRACK_LABEL],
      },
    });
  }
}
