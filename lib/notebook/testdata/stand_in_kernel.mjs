/**
 * A stand-in for `deno jupyter --kernel --conn FILE` that misbehaves on purpose, for the kernel client's tests:
 * it speaks just enough of the Jupyter protocol to start and to run silent requests (lib's set-up code and the
 * end-of-cell marker), and breaks the first cell in the way `STAND_IN_MODE` names:
 *
 * - `result-after-idle`: publishes the cell's result after its idle status and then never answers again;
 * - `garbled`: publishes a 2 MB display message with a wrong signature (what the real kernel's interleaved writes
 *   produce), then finishes the cell normally.
 *
 * Run as `node stand_in_kernel.mjs jupyter --kernel --conn FILE` (the arguments the client passes to deno). It runs
 * on Node.js because the zeromq addon, bound as a server inside Deno, often never receives its first message.
 */
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import process from "node:process";
import * as zmq from "zeromq";

const args = process.argv.slice(2);
const conn = JSON.parse(readFileSync(args[args.indexOf("--conn") + 1], "utf8"));
const mode = process.env.STAND_IN_MODE ?? "result-after-idle";
/** @param {number} port */
const url = (port) => `tcp://${conn.ip}:${port}`;
const shell = new zmq.Router();
const control = new zmq.Router();
const iopub = new zmq.Publisher();
await shell.bind(url(conn.shell_port));
await control.bind(url(conn.control_port));
await iopub.bind(url(conn.iopub_port));

const session = randomUUID();
/** @param {string[]} parts */
const sign = (parts) => {
  const h = createHmac("sha256", conn.key);
  for (const p of parts) h.update(p);
  return h.digest("hex");
};
/**
 * A signed message's frames from the delimiter on.
 * @param {string} type @param {object} parent @param {object} content @param {boolean} [badSignature]
 */
function frames(type, parent, content, badSignature = false) {
  const header = JSON.stringify({ msg_id: randomUUID(), msg_type: type, session, version: "5.3" });
  const parts = [header, JSON.stringify(parent), "{}", JSON.stringify(content)];
  return ["<IDS|MSG>", badSignature ? "0".repeat(64) : sign(parts), ...parts];
}
/** @param {string} type @param {object} parent @param {object} content @param {boolean} [bad] */
const publish = (type, parent, content, bad = false) => iopub.send(frames(type, parent, content, bad));

let mute = false;
let cells = 0;
(async () => {
  for await (const [id, ...rest] of control) {
    const parent = JSON.parse(rest[rest.findIndex((f) => f.toString() === "<IDS|MSG>") + 2].toString());
    if (parent.msg_type === "shutdown_request") {
      await control.send([id, ...frames("shutdown_reply", parent, { status: "ok", restart: false })]);
      process.exit(0);
    }
  }
})();
for await (const [id, ...rest] of shell) {
  if (mute) continue;
  const at = rest.findIndex((f) => f.toString() === "<IDS|MSG>");
  const parent = JSON.parse(rest[at + 2].toString());
  const content = JSON.parse(rest[at + 5].toString());
  /** @param {string} type @param {object} c */
  const reply = (type, c) => shell.send([id, ...frames(type, parent, c)]);
  await publish("status", parent, { execution_state: "busy" });
  if (parent.msg_type === "kernel_info_request") {
    await reply("kernel_info_reply", { status: "ok", protocol_version: "5.3" });
  } else if (parent.msg_type === "execute_request" && content.silent) {
    const marker = /marker: "([^"]+)"/.exec(content.code)?.[1];
    if (marker) await publish("paper_notebooks_marker", parent, { marker });
    await reply("execute_reply", { status: "ok", execution_count: cells });
  } else if (parent.msg_type === "execute_request") {
    cells++;
    await publish("execute_input", parent, { code: content.code, execution_count: cells });
    if (mode === "garbled") {
      await publish("display_data", parent, { data: { "text/plain": "x".repeat(2 * 1024 * 1024) } }, true);
    }
    await reply("execute_reply", { status: "ok", execution_count: cells });
    if (mode === "result-after-idle") {
      await publish("status", parent, { execution_state: "idle" });
      await publish("execute_result", parent, { execution_count: cells, data: { "text/plain": "42" }, metadata: {} });
      mute = true;
      continue;
    }
  }
  await publish("status", parent, { execution_state: "idle" });
}
