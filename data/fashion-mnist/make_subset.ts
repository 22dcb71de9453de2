// Makes the Fashion-MNIST subset shipped here from the full set (Debian's dataset-fashion-mnist):
//   deno run -A data/fashion-mnist/make_subset.ts [/usr/share/datasets/fashion-mnist]
import { encodeIdx, readIdx } from "../../lib/data/idx.ts";

const src = Deno.args[0] ?? "/usr/share/datasets/fashion-mnist";
const out = new URL(".", import.meta.url).pathname;
const parts = [
  ["train-images-idx3-ubyte", 10000],
  ["train-labels-idx1-ubyte", 10000],
  ["t10k-images-idx3-ubyte", 2000],
  ["t10k-labels-idx1-ubyte", 2000],
] as const;
for (const [stem, n] of parts) {
  const a = await readIdx(`${src}/${stem}.gz`);
  const per = a.dims.slice(1).reduce((x, y) => x * y, 1);
  const dims = [n, ...a.dims.slice(1)];
  const bytes = encodeIdx(dims, (a.data as Uint8Array).slice(0, n * per), { gzip: true });
  await Deno.writeFile(`${out}${stem}.gz`, bytes);
  console.log(`${stem}.gz: first ${n} of ${a.dims[0]}, ${bytes.length} bytes`);
}
