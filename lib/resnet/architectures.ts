/**
 * ResNet §3.3, Network Architectures: the sizes and costs of the paper's networks (built in networks.ts), counted and
 * printed beside the paper's Table 6 (CIFAR-10 parameters) and Table 1 (ImageNet FLOPs).
 */
import { countComplexity } from "./complexity.ts";
import { cifarResNet, imagenetResNet } from "./networks.ts";

/** ResNet Table 6: parameters (millions) of the CIFAR-10 ResNets. */
export const TABLE6_PARAMS_M: Record<number, number> = { 20: 0.27, 32: 0.46, 44: 0.66, 56: 0.85, 110: 1.7 };

/** ResNet Table 1: FLOPs (×10^9 multiply-adds) of the ImageNet nets. */
const TABLE1_GFLOPS: Record<number, number> = { 18: 1.8, 34: 3.6, 50: 3.8, 101: 7.6, 152: 11.3 };

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
