/**
 * The blue-green strategy (ValidateRolloutStrategyBlueGreen and what the controller silently ignores):
 * promotion settings that contradict each other, a preview larger than the app, and the fields of the
 * canary strategy, which a blue-green rollout has no use for.
 */
import type * as t from '../document/types';
import { error, show } from '../document/errors';
import { CONTROLLER_DEFAULTS } from '../document/defaults';
import type { StrategyRule } from './context';

export const blueGreenRules: readonly StrategyRule<t.BlueGreenSpec>[] = [
  {
    name: 'blue-green-promotion',
    *check({ path }, bg) {
      if (bg.autoPromotionEnabled === false && bg.autoPromotionSeconds !== undefined) {
        yield error(path('blueGreen.autoPromotionSeconds'), 'is ignored when autoPromotionEnabled is false (the controller waits for a promotion); remove one of them');
      }
    },
  },
  {
    name: 'preview-replicas',
    *check({ path, model }, bg) {
      if (bg.previewReplicaCount !== undefined && bg.previewReplicaCount > model.replicas) {
        yield error(path('blueGreen.previewReplicaCount'), `${bg.previewReplicaCount} is more than replicas (${model.replicas}); the preview would shrink at promotion`);
      }
    },
  },
  {
    name: 'scale-down-revision-limit',
    *check({ spec, path }, bg) {
      const limit = spec.revisionHistoryLimit ?? CONTROLLER_DEFAULTS.revisionHistoryLimit;
      if (bg.scaleDownDelayRevisionLimit !== undefined && bg.scaleDownDelayRevisionLimit > limit) {
        yield error(path('blueGreen.scaleDownDelayRevisionLimit'), `${bg.scaleDownDelayRevisionLimit} is more than revisionHistoryLimit (${limit}); the controller rejects the Rollout`);
      }
    },
  },
  {
    name: 'blue-green-fields-only',
    *check({ spec, path }) {
      for (const role of ['stable', 'canary'] as const) {
        if (spec.services?.[role]) yield error(path(`services.${role}`), 'is a canary Service; blue-green routes through services.active and services.preview');
      }
      if (spec.trafficRouting) yield error(path('trafficRouting'), `${show(Object.keys(spec.trafficRouting))} routes canary weights; blue-green switches the active Service instead, so it takes no traffic router`);
    },
  },
];
