/**
 * ResNet §4.1, Deeper Bottleneck Architectures (Figure 5): 1×1, 3×3 and 1×1 convolutions, "where the 1×1 layers are
 * responsible for reducing and then increasing (restoring) dimensions", on 256-d maps cost about what the basic block
 * of two 3×3 layers costs on 64-d maps; a projection instead of the identity shortcut on the 256-d ends nearly doubles
 * the block. The block itself is bottleneckBlock (blocks.ts).
 */
import { countComplexity } from "./complexity.ts";
import { singleBlock } from "./networks.ts";

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
