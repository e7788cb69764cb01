/** What a traffic router can do besides weights; each router's module declares its own. */
export interface RouterCapabilities {
  /** `setHeaderRoute` steps: requests with given headers go to the canary. */
  readonly headerRoutes: boolean;
  /** `setMirrorRoute` steps: requests are copied to the canary. */
  readonly mirrorRoutes: boolean;
}
