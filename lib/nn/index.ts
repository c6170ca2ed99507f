/**
 * lib/nn — Lectern's reference backprop engine: the grader's ground truth and
 * the engine behind the demos. Pure TypeScript, float64, no dependencies and no
 * Node APIs, so the same code runs on the server, in the browser and in the
 * sandbox. Import it as `@/lib/nn`.
 *
 * Conventions (the lecture's):
 * - A batch is [N, features], one example per row, row-major Float64Array.
 * - Linear: W is [out, in] (w[layer][output][input]), b is [out];
 *   z_out = z_in · Wᵀ + b.
 * - A layer's forward(z_in) keeps a cache; backward(∂J/∂z_out) returns
 *   { dZIn: ∂J/∂z_in, grads: { W: ∂J/∂W, b: ∂J/∂b } } (grads empty for activations).
 * - In a Sequential, parameters are numbered like the slides: W1, b1, W2, …
 * - Losses return { value: J, grad: ∂J/∂ŷ }. squaredError = Σ(ŷ−y)²,
 *   halfSquaredError = ½Σ(ŷ−y)², meanSquaredError = Σ(ŷ−y)²/(number of entries),
 *   crossEntropy and softmaxCrossEntropy average over the N rows.
 * - Matrix products use a register-tiled plain-JS kernel, or its WebAssembly SIMD
 *   twin for large products where WebAssembly exists (not in the sandbox);
 *   setMatmulBackend("js" | "wasm" | "auto") forces one. The two differ only in
 *   summation order (~1e-16 relative).
 * - Bad input (mismatched shapes, NaN/±Infinity, empty tensors) throws an NnError
 *   (ShapeError, NonFiniteError) naming the operation and the shapes.
 *
 * A training step:
 *   const rng = createRng(42);
 *   const net = mlp([784, 300, 100, 10], rng);
 *   const logits = net.forward(x);                       // x: [64, 784]
 *   const { value, grad } = softmaxCrossEntropy(logits, oneHot(labels, 10));
 *   const { grads } = net.backward(grad, { inputGradient: false }); // grads.W1, grads.b1, …
 *
 * Checking a gradient (PyTorch's defaults: eps 1e-6, atol 1e-5, rtol 1e-3; an entry
 * passes iff |analytic − numeric| ≤ atol + rtol·|numeric|):
 *   gradcheck(f, inputs, analytic, opts?)        f: (inputs) => J, every entry of every input
 *   gradcheckFast(f, inputs, analytic, { rng })  directional derivatives along random u
 *   gradcheckVjp(f, vjp, inputs, { rng, mode })  tensor-valued f via a random upstream v (vᵀJu in fast mode)
 *   gradcheckLayer(layer, zIn, { rng, mode })    a layer's backward: "z_in", "W", "b"
 *   directions, centralSlope, agrees             the same pieces for a caller that only holds f's values
 *                                                at probe points (the grader: f runs in the sandbox)
 *   const report = gradcheck((p) => softmaxCrossEntropy(net.forward(x), y).value, net.parameters(), grads);
 *   report.passed; report.worst[0]; // { tensor: "W2", index: [3, 17], analytic, numeric, absError, relError, passed }
 * Inputs are perturbed in place and restored, so live parameter tensors can be checked.
 *
 * Comparing tensors (for graders): relativeError(a, b) = |a − b| / max(|a|, |b|),
 * maxAbsError, maxRelError, worstAbsError / worstRelError (value, index, both entries),
 * worstIndex, allClose, relErrorVerdict (CS231n's good / fine / suspect / wrong).
 *
 * Scalar autodiff: new Value(x, "label"), .add .sub .mul .div .pow .exp .log .sigmoid .relu;
 * J.backward() returns every node's ∂J/∂node in backward order with the chain-rule edges applied.
 *
 * The digit network (Polls 5–8): DIGIT_NETWORK_SIZES [784, 300, 100, 10], digitNetwork(rng), DigitTrainer
 * (one minibatch step at a time, Sgd with momentum), trainDigitNetwork (the recipe DIGIT_TRAINING),
 * accuracy, forwardPass (every layer's outputs, for the demo), encodeNetwork / decodeNetwork (int8 weights).
 *
 * Randomness: createRng(seed) (sfc32; seed a 32-bit integer or a string) with nextU32,
 * uniform(low, high), normal(mean, std), int(low, high), pick(values), uniformAwayFrom(low, high, kinks, margin);
 * bit-identical on every engine. Tensor.randn / rand / randAwayFromKinks take an rng.
 */

export { NnError, ShapeError, NonFiniteError, formatShape } from "./errors";
export { createRng, portableLog, type Rng } from "./rng";
export {
  Tensor,
  type NestedArray,
  shapeSize,
  sameShape,
  flatIndex,
  unflatIndex,
  assertFinite,
  assertSameShape,
  assertRank,
} from "./tensor";
export {
  add,
  sub,
  mul,
  div,
  map,
  scale,
  dot,
  transpose,
  matmul,
  matmulTransA,
  matmulTransB,
  addRowBias,
  sum,
  mean,
} from "./ops";
export { setMatmulBackend, matmulBackend, type MatmulBackend } from "./kernels";
export {
  relativeError,
  worstAbsError,
  worstRelError,
  maxAbsError,
  maxRelError,
  worstIndex,
  allClose,
  relErrorVerdict,
  type RelErrorVerdict,
  type WorstEntry,
} from "./compare";
export type { Layer, LayerGradients } from "./layers/layer";
export { Linear, linearForward, linearBackward, linearParamGradients, type LinearCache } from "./layers/linear";
export {
  Activation,
  Sigmoid,
  ReLU,
  Tanh,
  Step,
  activation,
  sigmoid,
  SIGMOID,
  RELU,
  TANH,
  STEP,
  type ActivationRule,
  type ActivationName,
} from "./layers/activations";
export { Softmax, softmaxRows } from "./layers/softmax";
export { Sequential, mlp, type MlpOptions, type NetworkGradients } from "./layers/sequential";
export {
  squaredError,
  halfSquaredError,
  meanSquaredError,
  crossEntropy,
  softmaxCrossEntropy,
  oneHot,
  type LossResult,
} from "./losses";
export { Value, type BackwardStep, type BackwardEdge } from "./value";
export {
  LECTURE_TRAFFIC_PARAMS,
  TRAFFIC_DATA_SEED,
  threeNeuronNetwork,
  threeNeuronPredict,
  threeNeuronMse,
  threeNeuronGraph,
  trafficCurve,
  trafficData,
  widthOneGraph,
  type Example,
  type ThreeNeuronParams,
  type NamedNodes,
} from "./lecture";
export { Sgd, type SgdOptions } from "./optim";
export {
  DIGIT_SIDE,
  DIGIT_PIXELS,
  DIGIT_CLASSES,
  DIGIT_NETWORK_SIZES,
  DIGIT_TRAINING,
  DigitTrainer,
  digitNetwork,
  trainDigitNetwork,
  encodeDigits,
  decodeDigits,
  digitSlice,
  digitCount,
  digitImage,
  shiftImage,
  classify,
  accuracy,
  argmax,
  forwardPass,
  linearLayers,
  encodeNetwork,
  decodeNetwork,
  type DigitSet,
  type TrainerOptions,
  type ForwardPass,
} from "./digitNetwork";
export {
  gradcheck,
  gradcheckFast,
  gradcheckVjp,
  gradcheckLayer,
  numericGradient,
  centralSlope,
  agrees,
  directions,
  GRADCHECK_EPS,
  type GradcheckOptions,
  type FastGradcheckOptions,
  type VjpCheckOptions,
  type GradcheckEntry,
  type GradcheckReport,
  type TensorSummary,
  type ScalarFunction,
} from "./gradcheck";
