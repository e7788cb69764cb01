/** The blue-green strategy: the new version behind the preview Service, promoted by switching the active one. */
import type * as t from '../../document/types';
import type { ResolvedStrategyParts, StrategyInput } from './input';
import { trackMetadata } from './track';

export function resolveBlueGreen(bg: t.BlueGreenSpec, { analysis, service }: StrategyInput): ResolvedStrategyParts {
  const active = service('active');
  const preview = service('preview');
  return {
    strategy: {
      kind: 'blueGreen',
      activeService: active.name,
      previewService: preview.name,
      autoPromotionEnabled: bg.autoPromotionEnabled,
      autoPromotionSeconds: bg.autoPromotionSeconds,
      previewReplicaCount: bg.previewReplicaCount,
      scaleDownDelaySeconds: bg.scaleDownDelaySeconds,
      abortScaleDownDelaySeconds: bg.abortScaleDownDelaySeconds,
      antiAffinity: bg.antiAffinity,
      scaleDownDelayRevisionLimit: bg.scaleDownDelayRevisionLimit,
      prePromotionAnalysis: bg.prePromotionAnalysis && analysis(bg.prePromotionAnalysis),
      postPromotionAnalysis: bg.postPromotionAnalysis && analysis(bg.postPromotionAnalysis),
      previewMetadata: trackMetadata('preview', bg.previewMetadata),
      activeMetadata: trackMetadata('active', bg.activeMetadata),
    },
    services: [active, preview],
    // Live traffic goes to the active Service only: root also selects the preview pods.
    backend: { live: active.name, preview: preview.name },
  };
}
