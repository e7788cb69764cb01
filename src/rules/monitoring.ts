/** The ServiceMonitor: it needs the metrics port and the root Service, and times out within its interval. */
import { error, show } from '../document/errors';
import { durationSeconds } from '../document/patterns';
import type { Rule } from './context';

export const monitoringRules: readonly Rule[] = [
  {
    name: 'service-monitor',
    *check({ spec, model, path }) {
      const sm = spec.serviceMonitor;
      const on = model.serviceMonitor !== undefined;
      const routed = model.services.all.filter((s) => s.role !== 'root').map((s) => s.role).join(' and ');
      if (on && spec.ports?.metrics === undefined) yield error(path('serviceMonitor'), 'is enabled but spec.ports.metrics is not set');
      if (on && spec.services?.root === false) {
        yield error(path('serviceMonitor'), `scrapes the root Service, which services.root: false removes; the ${routed} Services each select only part of the pods`);
      }
      if (sm?.scrapeTimeout && sm.interval && durationSeconds(sm.scrapeTimeout) > durationSeconds(sm.interval)) {
        yield error(path('serviceMonitor.scrapeTimeout'), `${show(sm.scrapeTimeout)} is longer than the interval ${show(sm.interval)}`);
      }
    },
  },
];
