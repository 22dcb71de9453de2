import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { StatefulAdam, StatefulMomentum } from "./optimizers.ts";
import { TrainStep } from "./step.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** A small regression problem: variables w [6, 3], b [3] and a loss on fixed data. */
function problem(seed: number) {
  const w = tf.tidy(() => tf.variable(tf.randomNormal([6, 3], 0, 1, "float32", seed)));
  const b = tf.tidy(() => tf.variable(tf.zeros([3])));
  const x = tf.randomNormal([16, 6], 0, 1, "float32", seed + 1);
  const y = tf.randomNormal([16, 3], 0, 1, "float32", seed + 2);
  const loss = () => tf.tidy(() => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x, w), b), y))) as tf.Scalar);
  const values = () => [w, b].map((v) => Array.from(v.dataSync()));
  return { vars: [w, b], loss, values, dispose: () => tf.dispose([w, b, x, y]) };
}

function steps(opt: tf.Optimizer, p: ReturnType<typeof problem>, n: number): void {
  for (let i = 0; i < n; i++) opt.minimize(p.loss, false, p.vars);
}

describe("StatefulAdam", () => {
  it("takes exactly tf.train.adam's steps", () => {
    const [a, b] = [problem(1), problem(1)];
    const ours = new StatefulAdam(a.vars, { learningRate: 0.01, beta1: 0.5 });
    const theirs = tf.train.adam(0.01, 0.5);
    steps(ours, a, 40);
    steps(theirs, b, 40);
    expect(a.values()).toEqual(b.values());
    ours.dispose();
    theirs.dispose();
    a.dispose();
    b.dispose();
  });

  it("restored from its state into fresh variables continues exactly as the run that never stopped", () => {
    const before = tf.memory().numTensors;
    const whole = problem(2);
    const opt = new StatefulAdam(whole.vars, { learningRate: 0.02 });
    steps(opt, whole, 7);
    const weights = whole.vars.map((v) => Float32Array.from(v.dataSync()));
    const state = opt.state();
    expect(state).toHaveLength(5); // m and v of two variables, then [β1^(t+1), β2^(t+1), t]
    expect(state[4][2]).toBe(7);
    expect(state[4][0]).toBeCloseTo(0.9 ** 8, 6);
    steps(opt, whole, 9);

    const resumed = problem(2); // the same data; its initial weights are overwritten with the saved ones
    resumed.vars.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(weights[i], v.shape))));
    const opt2 = new StatefulAdam(resumed.vars, { learningRate: 0.02 });
    opt2.setState(state);
    steps(opt2, resumed, 9);
    expect(resumed.values()).toEqual(whole.values());
    expect(() => opt2.setState(state.slice(1))).toThrow(/4 arrays, expected 5/);
    for (const x of [opt, opt2, whole, resumed]) x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("StatefulMomentum", () => {
  it("takes lib/train's momentum SGD steps and resumes exactly from its velocities", () => {
    const [a, b, c] = [problem(4), problem(4), problem(4)];
    const ours = new StatefulMomentum(a.vars, { learningRate: 0.05, momentum: 0.5 });
    const reference = new TrainStep(b.vars, { optimizer: { kind: "momentum", momentum: 0.5, weightDecay: 0 } });
    for (let i = 0; i < 12; i++) {
      ours.minimize(a.loss, false, a.vars);
      tf.dispose(reference.step(b.loss, 0.05));
    }
    expect(a.values()).toEqual(b.values());
    const resumed = new StatefulMomentum(c.vars, { learningRate: 0.05, momentum: 0.5 });
    c.vars.forEach((v, i) => v.assign(a.vars[i]));
    resumed.setState(ours.state());
    for (let i = 0; i < 5; i++) {
      ours.minimize(a.loss, false, a.vars);
      resumed.minimize(c.loss, false, c.vars);
    }
    expect(c.values()).toEqual(a.values());
    for (const x of [ours, reference, resumed, a, b, c]) x.dispose();
  });
});
