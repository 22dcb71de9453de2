/** The PyTorch side of the benchmark: Debian's python3-torch running bench/torch_resnet20.py, when available. */

/** What torch_resnet20.py prints. */
export interface TorchResult {
  threads: number;
  batch: number;
  step_ms: number[];
  img_per_s: number;
  infer_img_per_s: number;
  peak_rss_mb: number;
  torch: string;
}

const PYTHON = "/usr/bin/python3";

/** True when `/usr/bin/python3 -c "import torch"` succeeds. */
export async function torchAvailable(): Promise<boolean> {
  try {
    const r = await new Deno.Command(PYTHON, { args: ["-c", "import torch"], stdout: "null", stderr: "null" }).output();
    return r.success;
  } catch {
    return false;
  }
}

/**
 * Runs one of bench/'s PyTorch scripts with `threads` threads and returns the JSON object its last stdout line
 * prints, or null (the reason printed, labelled `what`) if it fails.
 */
export async function runTorchScript<T>(
  script: string,
  options: { threads: number; args: readonly string[]; what: string },
): Promise<T | null> {
  const { threads, args, what } = options;
  const out = await new Deno.Command(PYTHON, {
    args: [new URL(script, import.meta.url).pathname, String(threads), ...args],
    stdout: "piped",
    stderr: "piped",
    env: { OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) },
  }).output();
  const line = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "";
  if (!out.success || !line.startsWith("{")) {
    console.error(
      `bench: ${what}, torch ${threads} thread(s) failed: ${new TextDecoder().decode(out.stderr).trim().slice(-300)}`,
    );
    return null;
  }
  return JSON.parse(line) as T;
}

/** Trains ResNet-20 in PyTorch with `threads` threads; null (reason printed) if the script fails. */
export function runTorch(
  threads: number,
  sizes: { batch: number; warmup: number; steps: number },
): Promise<TorchResult | null> {
  const args = [sizes.batch, sizes.warmup, sizes.steps].map(String);
  return runTorchScript<TorchResult>("./torch_resnet20.py", { threads, args, what: "ResNet-20" });
}
