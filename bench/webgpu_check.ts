/**
 * A short reproduction of the two tfjs-backend-webgpu 4.22 bugs that keep this project's training off WebGPU under
 * Deno (so initBackend never picks webgpu on its own: lib/backend/select.ts):
 *
 * 1. `dataSync()` throws: the backend reads a tensor back through an OffscreenCanvas '2d' context, which Deno does not
 *    provide (`await data()` works).
 * 2. `tf.pad` of a rank-5 or rank-6 tensor returns zeros (rank 4 is right). The option-A shortcut pads through such
 *    shapes, so its gradient vanishes and training diverges.
 *
 * Both reproduce on any adapter, a real GPU (seen on an NVIDIA H200) or the software one of a machine without a GPU
 * (llvmpipe). Usage: `deno run -A bench/webgpu_check.ts`. Prints the adapter and one line per check; exits 0 when both
 * bugs reproduce, 1 when either is fixed, 2 without a WebGPU adapter.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-webgpu";

interface Adapter {
  info?: { description?: string; vendor?: string; isFallbackAdapter?: boolean };
}

/**
 * Bug 1: whether `dataSync()` reads back a tensor computed on the GPU (a 64×64 matMul of ones: every value 64; small
 * ops run on the CPU and read back without the canvas), and what `await data()` gives for the same tensor.
 */
async function checkDataSync(): Promise<boolean> {
  const ones = tf.ones([64, 64]);
  const t = tf.matMul(ones, ones);
  let error: string | null = null;
  try {
    t.dataSync();
  } catch (e) {
    error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  const viaData = (await t.data()).slice(0, 3);
  tf.dispose([ones, t]);
  console.log(`dataSync(): ${error == null ? "works" : `throws ${error}`}; await data(): [${viaData}, …]`);
  return error != null;
}

/** Shapes and paddings of the pad check: rank 4 as the control; ranks 5 and 6 as the option-A shortcut pads. */
const PADS: [number[], [number, number][]][] = [
  [[2, 3, 4, 5], [[0, 0], [0, 1], [0, 0], [0, 3]]],
  [[2, 3, 1, 4, 5], [[0, 0], [0, 0], [0, 1], [0, 0], [0, 1]]],
  [[2, 3, 1, 4, 1, 5], [[0, 0], [0, 0], [0, 1], [0, 0], [0, 1], [0, 0]]],
];

/**
 * Bug 2: `tf.pad` with zeros of values 1 … n at ranks 4, 5 and 6. Returns true when a rank above 4 loses its values:
 * the padded tensor holds every input value and zeros, so its sum must be n(n + 1)/2.
 */
async function checkPad(): Promise<boolean> {
  let broken = false;
  for (const [shape, paddings] of PADS) {
    const n = shape.reduce((p, q) => p * q, 1);
    const x = tf.reshape(tf.range(1, n + 1), shape);
    const y = tf.pad(x, paddings);
    let sum = 0;
    for (const v of await y.data()) sum += v;
    const right = sum === (n * (n + 1)) / 2;
    if (!right && shape.length > 4) broken = true;
    console.log(
      `pad rank ${shape.length} [${shape}] → [${y.shape}]: sum ${sum}, expected ${(n * (n + 1)) / 2}` +
        (right ? "" : " (WRONG)"),
    );
    tf.dispose([x, y]);
  }
  return broken;
}

async function main(): Promise<number> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<Adapter | null> } }).gpu;
  const adapter = await gpu?.requestAdapter();
  if (adapter == null) {
    console.log("no WebGPU adapter (navigator.gpu missing or requestAdapter() returned null): nothing to reproduce");
    return 2;
  }
  const { description, vendor, isFallbackAdapter } = adapter.info ?? {};
  console.log(`adapter: ${JSON.stringify({ description, vendor, isFallbackAdapter })}`);
  tf.enableProdMode();
  if (!(await tf.setBackend("webgpu"))) throw new Error("tf.setBackend('webgpu') returned false");
  await tf.ready();
  const dataSyncBroken = await checkDataSync();
  const padBroken = await checkPad();
  console.log(JSON.stringify({ backend: tf.getBackend(), dataSyncBroken, padBroken }));
  return dataSyncBroken && padBroken ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main());
