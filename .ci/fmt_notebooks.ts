/**
 * `deno fmt --check` on a freshly cloned .ipynb reports it as not formatted although `deno fmt` leaves it byte for
 * byte unchanged (Deno 2.9.6; seen on every clean clone, gone once the file is in fmt's incremental cache). So the
 * check task formats each notebook through stdin and compares instead. Exits 1 naming the notebooks to format.
 */
import { findNotebooks } from "../lib/collection/collection.ts";

const bad: string[] = [];
for (const file of await findNotebooks(["notebooks"])) {
  const source = await Deno.readFile(file);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext", "ipynb", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(source);
  await writer.close();
  const out = await child.output();
  if (!out.success) {
    console.error(`${file}: deno fmt failed: ${new TextDecoder().decode(out.stderr)}`);
    bad.push(file);
  } else if (new TextDecoder().decode(out.stdout) !== new TextDecoder().decode(source)) bad.push(file);
}
if (bad.length) {
  console.error(`not formatted: ${bad.join(", ")}\nrun: deno fmt notebooks/`);
  Deno.exit(1);
}
console.log("notebooks formatted");
