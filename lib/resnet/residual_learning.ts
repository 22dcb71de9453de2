/**
 * The identity-mapping argument of ResNet §3.1: "if the added layers can be constructed as identity mappings, a deeper
 * model should have training error no greater than its shallower counterpart" — but a stack of nonlinear layers finds
 * the identity hard to fit, while a residual stack only has to drive F(x) toward zero. And §3.1's remark: "in real
 * cases, it is unlikely that identity mappings are optimal, but … if the optimal function is closer to an identity
 * mapping than to a zero mapping, it should be easier for the solver to find the perturbations with reference to an
 * identity mapping" — fitted here with a near-identity target H(x) = ReLU(x + ε·Ax).
 */
import * as tf from "@tensorflow/tfjs";
import { seededRandom } from "../data/random.ts";
import { line, plot, type PlotlyFigure } from "../display/mod.ts";
import { MomentumSgd } from "../train/sgd.ts";
import { layerSeed } from "./blocks.ts";
import { singleBlock } from "./networks.ts";

/** Options of {@link identityStack}. */
export interface IdentityStackOptions {
  /** Weighted layers (even for a residual stack: two per block). */
  layers: number;
  /** Width of the vectors. Default: 16. */
  width?: number;
  /** Add a shortcut around every two layers. Default: false (plain). */
  residual?: boolean;
  /** Initialiser seed. Default: 0. */
  seed?: number;
}

/**
 * A stack of fully-connected layers with BN on vectors: plain, y = ReLU(BN(W₂ ReLU(BN(W₁ x)))) per pair, or residual,
 * y = ReLU(BN(W₂ ReLU(BN(W₁ x))) + x) — Figure 2 with fully-connected layers (ResNet §3.2: "F(x, {W_i}) can represent multiple
 * convolutional layers" or fully-connected ones).
 */
export function identityStack(options: IdentityStackOptions): tf.LayersModel {
  const width = options.width ?? 16;
  const { layers } = options;
  if (!Number.isInteger(layers) || layers < 2 || layers % 2 !== 0) {
    throw new RangeError(`identityStack: layers must be an even number ≥ 2 (two per block), got ${layers}`);
  }
  const input = tf.input({ shape: [width], name: "x" });
  let x: tf.SymbolicTensor = input;
  const dense = (t: tf.SymbolicTensor, name: string, relu: boolean): tf.SymbolicTensor => {
    const z = tf.layers.dense({
      units: width,
      useBias: false,
      kernelInitializer: tf.initializers.heNormal({ seed: layerSeed(options.seed ?? 0, name) }),
      name,
    }).apply(t) as tf.SymbolicTensor;
    const n = tf.layers.batchNormalization({ name: `${name}_bn` }).apply(z) as tf.SymbolicTensor;
    return relu ? (tf.layers.reLU({ name: `${name}_relu` }).apply(n) as tf.SymbolicTensor) : n;
  };
  for (let b = 0; b < layers / 2; b++) {
    const h = dense(x, `block${b + 1}_fc1`, true);
    const f = dense(h, `block${b + 1}_fc2`, false);
    const sum = options.residual
      ? (tf.layers.add({ name: `block${b + 1}_add` }).apply([f, x]) as tf.SymbolicTensor)
      : f;
    x = tf.layers.reLU({ name: `block${b + 1}_out` }).apply(sum) as tf.SymbolicTensor;
  }
  return tf.model({ inputs: input, outputs: x, name: `${options.residual ? "residual" : "plain"}-${layers}` });
}

/** Options of {@link fitIdentity}. */
export interface FitIdentityOptions {
  /** SGD steps. Default: 200. */
  steps?: number;
  /** Vectors per batch. Default: 64. */
  batchSize?: number;
  /** Learning rate. Default: 0.1. */
  learningRate?: number;
  /** Momentum. Default: 0.9. */
  momentum?: number;
  /** Seed of the sampled inputs (and of the perturbation matrix A). Default: 0. */
  seed?: number;
  /**
   * ε of the near-identity target H(x) = ReLU(x + ε·Ax), A a fixed random matrix with N(0, 1/width) entries
   * (§3.1: the optimum is "closer to an identity mapping than to a zero mapping" without being one). Default: 0,
   * the identity H(x) = x.
   */
  perturbation?: number;
}

/**
 * Trains `model` to output its input, H(x) = x, on non-negative random vectors (like the ReLU features a block sees),
 * or a near-identity H(x) = ReLU(x + ε·Ax) with `perturbation` ε, returning the mean-squared error at each step — the
 * optimisation question of ResNet §3.1.
 */
export function fitIdentity(model: tf.LayersModel, options: FitIdentityOptions = {}): number[] {
  const steps = options.steps ?? 200;
  const bs = options.batchSize ?? 64;
  const width = model.inputs[0].shape[1] as number;
  const rng = seededRandom(options.seed ?? 0);
  const eps = options.perturbation ?? 0;
  if (!(eps >= 0 && Number.isFinite(eps))) throw new RangeError(`fitIdentity: perturbation must be ≥ 0, got ${eps}`);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng()); // Box–Muller
  const a = Float32Array.from({ length: width * width }, () => normal() / Math.sqrt(width));
  const perturb = eps > 0 ? tf.tensor2d(a, [width, width]) : undefined;
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const opt = new MomentumSgd(variables, { momentum: options.momentum ?? 0.9, weightDecay: 0 });
  const losses: number[] = [];
  try {
    for (let s = 0; s < steps; s++) {
      const data = new Float32Array(bs * width);
      for (let i = 0; i < data.length; i++) {
        data[i] = Math.abs(normal()); // |N(0,1)|
      }
      const loss = tf.tidy(() => {
        const x = tf.tensor2d(data, [bs, width]);
        const target = perturb ? tf.relu(tf.add(x, tf.mul(eps, tf.matMul(x, perturb)))) : x;
        const { value, grads } = tf.variableGrads(
          () => tf.mean(tf.square(tf.sub(model.apply(x, { training: true }) as tf.Tensor, target))) as tf.Scalar,
          variables,
        );
        opt.step(grads, options.learningRate ?? 0.1);
        return value;
      });
      losses.push(loss.dataSync()[0]);
      loss.dispose();
    }
  } finally {
    opt.dispose();
    perturb?.dispose();
  }
  return losses;
}

/** One seed of {@link compareStacks}: the MSE curves and their tails (mean of the last 20 steps). */
export interface StackFit {
  seed: number;
  plainCurve: number[];
  residualCurve: number[];
  plain: number;
  residual: number;
}

/**
 * Fits the same target with a plain and a residual stack of `layers` layers on each seed (§3.1): returns the curves
 * and the final MSE (mean of the last 20 steps) of both, for lib/evidence `ordering` on log10 MSE.
 */
export function compareStacks(
  options: { layers: number; steps: number; seeds: readonly number[]; perturbation?: number },
): StackFit[] {
  if (options.steps < 20) {
    throw new RangeError(`compareStacks: steps must be ≥ 20 (the tail is 20 steps), got ${options.steps}`);
  }
  const tail = (l: number[]) => l.slice(-20).reduce((a, b) => a + b, 0) / 20;
  return options.seeds.map((seed) => {
    const [plainCurve, residualCurve] = [false, true].map((residual) => {
      const m = identityStack({ layers: options.layers, residual, seed });
      try {
        return fitIdentity(m, { steps: options.steps, seed, perturbation: options.perturbation });
      } finally {
        m.dispose();
      }
    });
    return { seed, plainCurve, residualCurve, plain: tail(plainCurve), residual: tail(residualCurve) };
  });
}

/** Per-seed pairs of log10 final MSE, plain (expected higher) vs residual, for lib/evidence `ordering`. */
export function stackPairs(fits: readonly StackFit[]): { seed: number; higher: number; lower: number }[] {
  return fits.map((f) => ({ seed: f.seed, higher: Math.log10(f.plain), lower: Math.log10(f.residual) }));
}

/**
 * Rows: a basic block with all convolution weights zero, residual vs plain, on non-negative inputs `x` (N×H×W×C) —
 * max |y − x| is 0 for the residual block (H(x) = F(x) + x = x, §3.1) and max |y| is 0 for the plain one.
 */
export function zeroBlockRows(x: tf.Tensor4D): { block: string; "max |y − x|": number; "max |y|": number }[] {
  const [, h, w, c] = x.shape;
  return [false, true].map((plain) => {
    const block = singleBlock([h, w, c], { filters: c, plain, initializer: "zeros" });
    const [diff, mag] = tf.tidy(() => {
      const y = block.predict(x) as tf.Tensor;
      return [tf.max(tf.abs(tf.sub(y, x))).dataSync()[0], tf.max(tf.abs(y)).dataSync()[0]];
    });
    block.dispose();
    return { block: plain ? "plain (no shortcut)" : "residual F(x) + x", "max |y − x|": diff, "max |y|": mag };
  });
}

/** The first seed's MSE curves of each target, plain dashed and residual solid, on a log scale (§3.1). */
export function stackCurvesFigure(targets: readonly { name: string; fits: readonly StackFit[] }[]): PlotlyFigure {
  const colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e"];
  return plot(
    targets.flatMap(({ name, fits }, i) => [
      line(fits[0].plainCurve, { name: `plain, ${name}`, line: { dash: "dash", color: colors[i % 4] } }),
      line(fits[0].residualCurve, { name: `residual, ${name}`, line: { color: colors[i % 4] } }),
    ]),
    {
      title: { text: `Fitting H(x) with plain and residual stacks, seed ${targets[0]?.fits[0]?.seed}` },
      xaxis: { title: { text: "step" } },
      yaxis: { title: { text: "MSE" }, type: "log" },
    },
  );
}

/** Rows: each seed's final MSE (mean of the last 20 steps) of the plain and the residual stack, 3 digits. */
export function stackRows(name: string, fits: readonly StackFit[]): Record<string, string | number>[] {
  return fits.map((f) => ({
    target: name,
    seed: f.seed,
    "plain MSE": +f.plain.toPrecision(3),
    "residual MSE": +f.residual.toPrecision(3),
  }));
}
