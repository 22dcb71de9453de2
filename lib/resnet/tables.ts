/** The paper's tables beside our counts: Table 6 (CIFAR params), Table 1 (ImageNet FLOPs), shortcut and block costs. */
import { countComplexity } from "./complexity.ts";
import { cifarResNet, imagenetResNet, singleBlock } from "./networks.ts";
import type { ShortcutOption } from "./shortcut.ts";

/** ResNet Table 6: parameters (millions) of the CIFAR-10 ResNets. */
export const TABLE6_PARAMS_M: Record<number, number> = { 20: 0.27, 32: 0.46, 44: 0.66, 56: 0.85, 110: 1.7 };

/** ResNet Table 1: FLOPs (×10^9 multiply-adds) of the ImageNet nets. */
export const TABLE1_GFLOPS: Record<number, number> = { 18: 1.8, 34: 3.6, 50: 3.8, 101: 7.6, 152: 11.3 };

/** Rows: each CIFAR depth with n, our parameter count and Table 6's — ResNet §4.2, Table 6. */
export function cifarFamilyRows(depths: readonly number[] = [20, 32, 44, 56, 110]): Record<string, number | string>[] {
  return depths.map((depth) => {
    const m = cifarResNet({ depth, initializer: "zeros" });
    const { params, flops } = countComplexity(m);
    m.dispose();
    return {
      net: `ResNet-${depth}`,
      n: (depth - 2) / 6,
      params: params,
      "params (M)": +(params / 1e6).toFixed(3),
      "Table 6 (M)": TABLE6_PARAMS_M[depth] ?? "",
      "FLOPs (M)": +(flops / 1e6).toFixed(1),
    };
  });
}

/** Rows: each ImageNet depth with our FLOPs and parameters beside Table 1's FLOPs — ResNet Table 1. */
export function imagenetFamilyRows(
  depths: readonly number[] = [18, 34, 50, 101, 152],
  options: { plain?: boolean } = {},
): Record<string, number | string>[] {
  return depths.map((depth) => {
    const m = imagenetResNet({ depth, plain: options.plain, initializer: "zeros" });
    const { params, flops } = countComplexity(m);
    m.dispose();
    return {
      net: `${options.plain ? "plain" : "ResNet"}-${depth}`,
      "FLOPs (×10^9)": +(flops / 1e9).toFixed(3),
      "Table 1 (×10^9)": TABLE1_GFLOPS[depth] ?? "",
      "params (M)": +(params / 1e6).toFixed(2),
    };
  });
}

/**
 * Rows: shortcut options A, B, C at one block (`inputShape` → `filters` channels with `stride`): output shape, the
 * shortcut's parameters and multiply-adds (block minus its plain counterpart) — ResNet §3.2, Eq. (1)/(2).
 */
export function shortcutRows(
  inputShape: [number, number, number],
  options: { filters: number; stride?: number },
): Record<string, number | string>[] {
  const { filters } = options;
  const stride = options.stride ?? 1;
  const plain = singleBlock(inputShape, { filters, stride, plain: true, initializer: "zeros" });
  const base = countComplexity(plain);
  plain.dispose();
  return (["A", "B", "C"] as ShortcutOption[]).map((shortcut) => {
    const m = singleBlock(inputShape, { filters, stride, shortcut, initializer: "zeros" });
    const c = countComplexity(m);
    const shape = m.outputs[0].shape.slice(1).join("×");
    m.dispose();
    return {
      option: shortcut,
      shortcut: shortcut === "A" ? "zero-pad (Eq. 1)" : "1×1 projection W_s (Eq. 2)",
      "input": inputShape.join("×"),
      "output": shape,
      "shortcut params": c.params - base.params,
      "shortcut mult-adds": c.flops - base.flops,
      "block params": c.params,
    };
  });
}

/** Rows: a network's parameters and FLOPs under shortcut options A, B, C — ResNet §4.1, Table 3. */
export function shortcutNetworkRows(
  family: "cifar" | "imagenet",
  depth: number,
): Record<string, number | string>[] {
  return (["A", "B", "C"] as ShortcutOption[]).map((shortcut) => {
    const m = family === "cifar"
      ? cifarResNet({ depth, shortcut, initializer: "zeros" })
      : imagenetResNet({ depth, shortcut, initializer: "zeros" });
    const c = countComplexity(m);
    m.dispose();
    return { net: `ResNet-${depth}${shortcut}`, params: c.params, "FLOPs (M)": Math.round(c.flops / 1e6) };
  });
}

/**
 * Rows: the basic block on 64-d maps vs the bottleneck block on 256-d maps (both 56×56, conv2_x widths), and the
 * bottleneck with a projection shortcut — ResNet §4.1 "Deeper Bottleneck Architectures", Figure 5.
 */
export function bottleneckRows(size = 56): Record<string, number | string>[] {
  const cases: { name: string; shape: [number, number, number]; opts: Parameters<typeof singleBlock>[1] }[] = [
    { name: "basic 3×3,64 → 3×3,64 (identity)", shape: [size, size, 64], opts: { filters: 64, shortcut: "A" } },
    {
      name: "bottleneck 1×1,64 → 3×3,64 → 1×1,256 (identity)",
      shape: [size, size, 256],
      opts: { filters: 256, bottleneck: true, shortcut: "B" },
    },
    {
      name: "bottleneck with projection shortcut 1×1,256→256",
      shape: [size, size, 256],
      opts: { filters: 256, bottleneck: true, shortcut: "C" },
    },
  ];
  return cases.map(({ name, shape, opts }) => {
    const m = singleBlock(shape, { ...opts, initializer: "zeros" });
    const c = countComplexity(m);
    m.dispose();
    return {
      block: name,
      "in/out": `${shape[2]}→${shape[2]}`,
      params: c.params,
      "mult-adds (M)": +(c.flops / 1e6).toFixed(1),
    };
  });
}
