/**
 * ResNet §3.2, Identity Mapping by Shortcuts: y = F(x, {W_i}) + x (Eq. 1) where dimensions match, and where they grow
 * either the identity with zero-padding (option A, no parameters) or a projection y = F(x, {W_i}) + W_s x (Eq. 2;
 * option B where dimensions grow, option C everywhere). The three options' shapes and costs, at one block and across a
 * network (Table 3's A, B, C); the shortcut itself is in shortcut.ts and blocks.ts.
 */
import { countComplexity } from "./complexity.ts";
import { cifarResNet, imagenetResNet, singleBlock } from "./networks.ts";
import { SHORTCUT_OPTIONS } from "./shortcut.ts";

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
  return SHORTCUT_OPTIONS.map((shortcut) => {
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
  return SHORTCUT_OPTIONS.map((shortcut) => {
    const m = family === "cifar"
      ? cifarResNet({ depth, shortcut, initializer: "zeros" })
      : imagenetResNet({ depth, shortcut, initializer: "zeros" });
    const c = countComplexity(m);
    m.dispose();
    return { net: `ResNet-${depth}${shortcut}`, params: c.params, "FLOPs (M)": Math.round(c.flops / 1e6) };
  });
}
