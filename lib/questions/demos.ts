// The lecture's demos that have a route of their own in Lectern. A poll asked about one names it (`demo:` in
// its front matter): its prompt links there (the content check proves it) and the projector offers to show it.
export const DEMOS = {
  "digit-network": { title: "The digit network", path: "/demos/digit-network" },
} as const;

export type DemoName = keyof typeof DEMOS;
export const DEMO_NAMES = Object.keys(DEMOS) as [DemoName, ...DemoName[]];
