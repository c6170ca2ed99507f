// Interactive elements: an in-prompt widget whose answer is its state (e.g. slider
// positions). The server never trusts a metric computed on the phone; it recomputes
// every metric from the submitted state with the functions registered here.
import type { z } from "zod";
import { LECTURE_TRAFFIC_PARAMS, threeNeuronMse, type ThreeNeuronParams } from "@/lib/nn/lecture";
import { threeNeuronParamsSchema } from "./threeNeuronSchema";

export interface InteractiveElement<S> {
  title: string;
  /** Validates the submitted state; its errors are shown to the student. */
  stateSchema: z.ZodType<S>;
  /** A valid state, used by the content check to prove scoring works end to end. */
  exampleState: S;
  /** Metrics the element can report, each recomputed from the state on the server. */
  metrics: Record<string, { label: string; compute(state: S): number }>;
}

const threeNeuronFit: InteractiveElement<ThreeNeuronParams> = {
  title: "Three-neuron network fitted to the traffic data",
  stateSchema: threeNeuronParamsSchema,
  exampleState: LECTURE_TRAFFIC_PARAMS,
  metrics: { mse: { label: "MSE", compute: (p) => threeNeuronMse(p) } },
};

export const INTERACTIVE_ELEMENTS = {
  "three-neuron-fit": threeNeuronFit,
};

export type InteractiveElementName = keyof typeof INTERACTIVE_ELEMENTS;
export const INTERACTIVE_ELEMENT_NAMES = Object.keys(INTERACTIVE_ELEMENTS) as [InteractiveElementName, ...InteractiveElementName[]];

export function getElement(name: InteractiveElementName): InteractiveElement<unknown> {
  return INTERACTIVE_ELEMENTS[name] as unknown as InteractiveElement<unknown>;
}
