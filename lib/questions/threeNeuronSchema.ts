// Server-side validation of Poll 3's submitted parameters. Kept apart from threeNeuron.ts so the slider
// component (which phones load) does not pull zod into the browser bundle.
import { z } from "zod";
import { THREE_NEURON_PARAMETERS, THREE_NEURON_SLIDERS, type ThreeNeuronParameter } from "./threeNeuron";

const boundedParameter = (name: ThreeNeuronParameter) => {
  const { label, min, max } = THREE_NEURON_SLIDERS[name];
  return z
    .number({ error: `${label} must be a number` })
    .refine(Number.isFinite, { message: `${label} must be a finite number` })
    .refine((v) => v >= min && v <= max, { message: `${label} must be between ${min} and ${max} (the slider's range)` });
};

export const threeNeuronParamsSchema = z.strictObject(
  Object.fromEntries(THREE_NEURON_PARAMETERS.map((n) => [n, boundedParameter(n)])) as Record<
    ThreeNeuronParameter,
    ReturnType<typeof boundedParameter>
  >,
);
