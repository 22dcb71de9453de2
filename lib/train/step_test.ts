import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { decayedKernels, supervisedLoss, TrainStep } from "./step.ts";

beforeAll(async () => {
  tf.enableProdMode();
  await tf.setBackend("cpu");
});

/** conv → batch norm → flatten → dense on 4×4×1 inputs, seeded, so two calls build the same weights. */
function tinyNet(): tf.LayersModel {
  const input = tf.input({ shape: [4, 4, 1] });
  let h = tf.layers.conv2d({
    filters: 2,
    kernelSize: 3,
    padding: "same",
    kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
  }).apply(input) as tf.SymbolicTensor;
  h = tf.layers.batchNormalization().apply(h) as tf.SymbolicTensor;
  h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }).apply(h);
  return tf.model({ inputs: input, outputs: out as tf.SymbolicTensor });
}

function batch(): { x: tf.Tensor; y: tf.Tensor } {
  const x = tf.tensor4d(Float32Array.from({ length: 6 * 16 }, (_, i) => Math.sin(i * 0.37)), [6, 4, 4, 1]);
  return { x, y: tf.tensor1d([0, 1, 2, 0, 1, 2], "int32") };
}

const weightsOf = (m: tf.LayersModel): Float32Array[] =>
  m.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));

describe("TrainStep", () => {
  it("decays the conv and dense kernels only, not biases nor batch norm's γ and β", () => {
    const before = tf.memory().numTensors;
    const m = tinyNet();
    // A layer's first weight is its kernel (kernel, then bias), and BatchNormalization's are γ and β.
    const firstWeight = (cls: string): string =>
      (m.layers.find((l) => l.getClassName() === cls)!.trainableWeights[0].read() as tf.Variable).name;
    expect(m.trainableWeights.length).toBe(6); // conv kernel and bias, γ, β, dense kernel and bias
    expect(decayedKernels(m)).toEqual(new Set([firstWeight("Conv2D"), firstWeight("Dense")]));
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("step() equals gradients() then apply(), for momentum SGD and for Adam, without leaking", () => {
    for (const optimizer of [{ kind: "momentum" as const }, { kind: "adam" as const, learningRate: 0.01 }]) {
      const [a, b] = [tinyNet(), tinyNet()];
      const data = batch();
      const initial = weightsOf(a);
      const before = tf.memory().numTensors;
      const [sa, sb] = [TrainStep.forModel(a, { optimizer }), TrainStep.forModel(b, { optimizer })];
      for (let i = 0; i < 3; i++) {
        tf.dispose(sa.step(supervisedLoss(a, data), 0.1));
        const { loss, grads } = sb.gradients(supervisedLoss(b, data));
        sb.apply(grads, 0.1);
        tf.dispose([loss, ...grads]);
      }
      sa.dispose();
      sb.dispose();
      expect(tf.memory().numTensors).toBe(before);
      const [wa, wb] = [weightsOf(a), weightsOf(b)];
      wa.forEach((w, i) => expect(w).toEqual(wb[i]));
      expect(wa[0]).not.toEqual(initial[0]); // it trained
      tf.dispose(data);
      a.dispose();
      b.dispose();
    }
  });

  it("runs a caller's tf.Optimizer as its own minimize() would, and leaves it to the caller", () => {
    const before = tf.memory().numTensors;
    const [a, b] = [tinyNet(), tinyNet()];
    const data = batch();
    const [oa, ob] = [tf.train.adam(0.01, 0.5), tf.train.adam(0.01, 0.5)];
    const step = TrainStep.forModel(a, { optimizer: oa });
    const vars = b.trainableWeights.map((w) => w.read() as tf.Variable);
    for (let i = 0; i < 2; i++) {
      tf.dispose(step.step(supervisedLoss(a, data)));
      tf.dispose(ob.minimize(supervisedLoss(b, data), true, vars)!);
    }
    step.dispose();
    tf.dispose(oa.minimize(supervisedLoss(a, data), true, a.trainableWeights.map((w) => w.read() as tf.Variable))!);
    tf.dispose(ob.minimize(supervisedLoss(b, data), true, vars)!);
    const [wa, wb] = [weightsOf(a), weightsOf(b)];
    wa.forEach((w, i) => expect(w).toEqual(wb[i]));
    [oa, ob].forEach((o) => o.dispose());
    tf.dispose(data);
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("asks for a learning rate with momentum SGD, and names an unknown optimizer", () => {
    const before = tf.memory().numTensors;
    const m = tinyNet();
    const data = batch();
    const step = TrainStep.forModel(m);
    expect(() => step.step(supervisedLoss(m, data))).toThrow(/needs a learning rate/);
    expect(() => TrainStep.forModel(m, { optimizer: { kind: "rmsprop" } as never })).toThrow(/unknown optimizer/);
    step.dispose();
    tf.dispose(data);
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
