// Names students call np functions by (valid entries of a job's `allow`).
import { npFunctions, type NpFunctionName } from "./index";

export const NP_FUNCTION_NAMES = Object.freeze(Object.keys(npFunctions)) as readonly NpFunctionName[];
