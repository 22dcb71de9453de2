import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { decode } from "fast-png";
import { initBackend } from "../backend/mod.ts";
import { bundleOf } from "../display/mod.ts";
import { seededRng } from "../math/mod.ts";
import {
  generateSamples,
  type ImageGanOptions,
  type ImageGanState,
  rowSampler,
  runImageGan,
  samplesAcrossTraining,
} from "./image_gan.ts";

beforeAll(async () => {
  await initBackend({ quiet: true });
});

describe("§5: the image GAN", () => {
  it("runImageGan returns the generator and sample grids; no tensors leak", async () => {
    const rng = seededRng(1);
    const images = Float32Array.from({ length: 50 * 16 }, () => rng());
    const before = tf.memory().numTensors;
    const r = await runImageGan({
      images,
      dim: 16,
      seed: 1,
      steps: 4,
      snapshotEvery: 2,
      snapshotCount: 3,
      generator: { noiseDim: 5, hidden: [8] },
      discriminator: { hidden: [4], pieces: 2 },
    });
    expect(r.snapshots.map((s) => [s.step, s.value.length])).toEqual([[0, 48], [2, 48], [4, 48]]);
    const samples = generateSamples(r.generator, 10, 3);
    expect(samples.length).toBe(160);
    r.generator.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  for (const optimizer of ["adam", "momentum"] as const) {
    it(`a run resumed from its checkpoint goes on exactly as the run that never stopped (${optimizer})`, async () => {
      const rng = seededRng(2);
      const images = Float32Array.from({ length: 40 * 16 }, () => rng());
      const options: ImageGanOptions = {
        images,
        dim: 16,
        seed: 3,
        steps: 9,
        optimizer,
        generator: { noiseDim: 5, hidden: [8] },
        discriminator: { hidden: [6], pieces: 2 }, // dropout 0.5 and input dropout 0.2: the masks' streams resume too
      };
      const before = tf.memory().numTensors;
      const states: ImageGanState[] = [];
      const whole = await runImageGan({ ...options, checkpointEvery: 4, onCheckpoint: (s) => void states.push(s) });
      expect(states.map((s) => s.step)).toEqual([4, 8]);
      expect(states[0].rng.dropout).toEqual([12, 12]); // 3 training passes of D per iteration (real, fake, G's step)
      const resumed = await runImageGan({ ...options, resume: states[0] });
      expect(resumed.history).toEqual(whole.history);
      expect(resumed.generator.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(
        whole.generator.getWeights().map((w) => Array.from(w.dataSync())),
      );
      await expect(runImageGan({ ...options, resume: { ...states[0], step: 9 } })).rejects.toThrow(/< steps \(9\)/);
      whole.generator.dispose();
      resumed.generator.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it("stops between two iterations when its signal aborts", async () => {
    const images = new Float32Array(10 * 16).fill(0.5);
    const controller = new AbortController();
    const before = tf.memory().numTensors;
    await expect(runImageGan({
      images,
      dim: 16,
      seed: 1,
      steps: 50,
      generator: { noiseDim: 3, hidden: [4] },
      discriminator: { hidden: [3], pieces: 2 },
      signal: controller.signal,
      onStep: (r) => {
        if (r.step === 2) controller.abort(new Error("stop here"));
      },
    })).rejects.toThrow("stop here");
    expect(tf.memory().numTensors).toBe(before);
  });

  it("rowSampler draws whole rows; no tensors leak", () => {
    const before = tf.memory().numTensors;
    const rows = Float32Array.from([0, 0, 1, 1, 2, 2]);
    const batch = rowSampler(rows, 2, 1)(20);
    const v = batch.dataSync();
    for (let i = 0; i < 20; i++) expect(v[2 * i]).toBe(v[2 * i + 1]);
    batch.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => rowSampler(rows, 4, 1)).toThrow(/whole number of rows/);
  });

  it("shows samples across training as one PNG: a row per snapshot, its step at the left", () => {
    // two snapshots of three 2×2 images: all black at step 0, all white at step 50
    const snaps = [{ step: 0, value: new Float32Array(12) }, { step: 50, value: new Float32Array(12).fill(1) }];
    const img = samplesAcrossTraining(snaps, { height: 2, width: 2, samples: 2, scale: 1, title: "Toy samples" });
    const bundle = bundleOf(img);
    expect(Object.keys(bundle).sort()).toEqual(["image/png", "text/plain"]);
    expect(String(bundle["text/plain"])).toMatch(
      /^Toy samples: one row per snapshot, top to bottom at steps 0, 50 \(the number left of each row\), 2 samples each/,
    );
    const png = decode(Uint8Array.from(atob(bundle["image/png"] as string), (c) => c.charCodeAt(0)));
    // label column: two glyphs of 4 pixels and 2-pixel margins; then two 2-pixel images with a 2-pixel gap
    expect([png.width, png.height]).toEqual([12 + 6, 2 + 2 + 2]);
    const rowOf = (y: number) => Array.from(png.data.subarray(y * png.width + 12, (y + 1) * png.width));
    expect(rowOf(0)).toEqual([0, 0, 255, 255, 0, 0]);
    expect(rowOf(4)).toEqual([255, 255, 255, 255, 255, 255]);
    expect(() => samplesAcrossTraining([])).toThrow(/no snapshots \(pass snapshotEvery > 0/);
    expect(() => samplesAcrossTraining(snaps, { height: 28, width: 28 })).toThrow(/holds 0 images of 28×28 pixels/);
  });
});
