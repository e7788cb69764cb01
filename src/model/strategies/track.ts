/** The track label on each ReplicaSet's pods, so dashboards and queries can tell the versions apart. */
import type * as t from '../../document/types';

export const TRACK_LABEL = 'canarykit.dev/track';

/** The pod metadata the controller puts on one track's pods: the written metadata over the track label. */
export function trackMetadata(track: 'canary' | 'stable' | 'preview' | 'active', meta: t.PodMetadataSpec | undefined): t.PodMetadataSpec {
  return {
    labels: { [TRACK_LABEL]: track, ...(meta?.labels ?? {}) },
    ...(meta?.annotations ? { annotations: meta.annotations } : {}),
  };
}
