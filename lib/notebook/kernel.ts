/**
 * A Jupyter client for the real Deno kernel (`deno jupyter --kernel --conn FILE`), over ZeroMQ with the `zeromq`
 * package. It speaks the Jupyter messaging protocol 5.3 (signed multipart messages on shell, control and iopub),
 * executes code, relays iopub messages, interrupts over the control channel and kills a kernel that does not answer.
 *
 * A cell is complete only when the client has proof that every output of it arrived: after the execute_reply, a
 * silent request asks the kernel to publish a marker behind the cell's outputs (the kernel publishes from one queue,
 * in order), and the cell's idle status must have come before it. Messages that fail verification are reported,
 * never dropped in silence; a cell whose outputs cannot be accounted for ends with status "lost" and says why.
 */
import { createHmac } from "node:crypto";
import { join } from "node:path";
import type * as zmq from "zeromq";
import { acquireChannels, type ChannelName, type Channels, releaseChannels } from "./channels.ts";
// The `Symbol.for` key under which the kernel-side output handler leaves its flush function (no side effects).
import { KERNEL_OUTPUT_KEY } from "../display/kernel_output.ts";

/** A Jupyter message as received (header, parent header, metadata, content). */
export interface JupyterMessage {
  header: { msg_id: string; msg_type: string; session: string; date?: string; username?: string; version?: string };
  parent_header: { msg_id?: string; msg_type?: string };
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
}

/** How a code execution ended. */
export type ExecuteStatus = "ok" | "error" | "timeout" | "died" | "lost" | "aborted";

/** The iopub message type of the end-of-cell marker the client asks the kernel to publish. */
export const MARKER_MSG_TYPE = "paper_notebooks_marker";

/** A message from the kernel that could not be read (bad signature, missing frames, not JSON). */
export interface ProtocolError {
  channel: ChannelName;
  /** Total bytes of the message's frames. */
  bytes: number;
  /** The message type, when its header could still be read. */
  msgType?: string;
  /** What was wrong, e.g. "failed verification". */
  problem: string;
}

/** The result of {@link KernelClient.execute}. */
export interface ExecuteOutcome {
  status: ExecuteStatus;
  /** The execute_reply content (absent on timeout or a dead kernel). */
  reply?: Record<string, unknown>;
  executionCount: number | null;
  /** ISO timestamps in nbclient's `metadata.execution` form. */
  timing: Record<string, string>;
  /** After a timeout: whether an interrupt brought the kernel back, or it had to be killed. */
  recovered?: "interrupted" | "killed";
  /** Status "lost": what went wrong, in a sentence for the reader ("... outputs may be missing"). */
  lost?: string;
  /** Status "died": how the kernel process ended. */
  exit?: Deno.CommandStatus;
}

/** Options of {@link KernelClient.start}. */
export interface KernelStartOptions {
  /** The kernel's working directory (the notebook's folder, as Jupyter frontends do). */
  cwd: string;
  /** Extra environment variables (NO_COLOR=1 is always set). */
  env?: Record<string, string>;
  /** Milliseconds to wait for the kernel to answer kernel_info. Default: 60 000. */
  startupTimeoutMs?: number;
  /** The deno executable. Default: the running one (Deno.execPath()). */
  deno?: string;
}

/** Options of {@link KernelClient.execute}. */
export interface ExecuteOptions {
  /** Milliseconds before the cell is interrupted. Default: no limit. */
  timeoutMs?: number;
  /** Milliseconds to wait after an interrupt before killing the kernel. Default: 5 000. */
  interruptGraceMs?: number;
  /** Called with every iopub message of this execution, in order. */
  onIopub?: (msg: JupyterMessage) => void;
  /**
   * Milliseconds to wait, after the execute_reply, for the kernel's proof that every output was sent (its idle
   * status and the end-of-cell marker). Default: 60 000.
   */
  outputTimeoutMs?: number;
  /** Aborts the execution (Ctrl-C): the kernel is killed and the status is "aborted". */
  signal?: AbortSignal;
  /** Runs the code without an execution count or a result (Jupyter's `silent`), e.g. set-up code. */
  silent?: boolean;
}

const DELIM = "<IDS|MSG>";
const live = new Set<KernelClient>();

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A running Deno kernel and the sockets to it. */
export class KernelClient {
  private readonly session = crypto.randomUUID();
  private readonly pending = new Map<string, (msg: JupyterMessage, channel: "shell" | "control" | "iopub") => void>();
  private exited = false;
  private closed = false;
  private shuttingDown: Promise<void> | undefined;
  private onProtocolError: ((e: ProtocolError) => void) | undefined;
  private readonly sending = new Map<zmq.Dealer, Promise<void>>();
  /** Every message that could not be read, in order (see {@link ProtocolError}). */
  readonly protocolErrors: ProtocolError[] = [];
  /** Resolves when the kernel process exits. */
  readonly exit: Promise<Deno.CommandStatus>;

  private constructor(
    private readonly child: Deno.ChildProcess,
    private readonly key: string,
    private readonly channels: Channels,
    private readonly connFile: string,
    private readonly stderrTail: string[],
  ) {
    this.exit = child.status.then((s) => {
      this.exited = true;
      return s;
    });
    channels.receiver = (frames, channel) => this.receive(frames, channel);
    live.add(this);
  }

  private get shell(): zmq.Dealer {
    return this.channels.shell;
  }

  private get control(): zmq.Dealer {
    return this.channels.control;
  }

  /** Starts a kernel in `options.cwd` and waits until it answers on shell and publishes on iopub. */
  static async start(options: KernelStartOptions): Promise<KernelClient> {
    const key = crypto.randomUUID();
    const channels = acquireChannels();
    const ports = channels.ports;
    const conn = {
      ip: "127.0.0.1",
      transport: "tcp",
      signature_scheme: "hmac-sha256",
      key,
      kernel_name: "deno",
      shell_port: ports.shell,
      iopub_port: ports.iopub,
      stdin_port: ports.stdin,
      control_port: ports.control,
      hb_port: ports.hb,
    };
    const dir = await Deno.makeTempDir({ prefix: "paper-kernel-" });
    const connFile = join(dir, "kernel.json");
    await Deno.writeTextFile(connFile, JSON.stringify(conn));
    const child = new Deno.Command(options.deno ?? Deno.execPath(), {
      args: ["jupyter", "--kernel", "--conn", connFile],
      cwd: options.cwd,
      env: { NO_COLOR: "1", ...options.env },
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const stderrTail: string[] = [];
    (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of child.stderr) {
          stderrTail.push(decoder.decode(chunk));
          if (stderrTail.length > 50) stderrTail.shift();
        }
      } catch { /* closed */ }
    })();
    const client = new KernelClient(child, key, channels, connFile, stderrTail);
    try {
      await client.waitReady(options.startupTimeoutMs ?? 60_000);
    } catch (e) {
      await client.shutdown();
      throw e;
    }
    return client;
  }

  /** The kernel's process id. */
  get pid(): number {
    return this.child.pid;
  }

  /** True while the kernel process runs and the client is open. */
  get alive(): boolean {
    return !this.exited && !this.closed;
  }

  /** The last lines the kernel wrote to stderr (for error reports). */
  get stderr(): string {
    return this.stderrTail.join("");
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`the Deno kernel exited during start-up:\n${this.stderr}`);
      const sawIopub = deferred<boolean>();
      const gotReply = deferred<boolean>();
      const id = this.send(this.shell, "kernel_info_request", {});
      this.pending.set(id, (_msg, channel) => {
        if (channel === "iopub") sawIopub.resolve(true);
        else gotReply.resolve(true);
      });
      const ok = await Promise.race([
        Promise.all([sawIopub.promise, gotReply.promise]).then(() => true),
        sleep(1000).then(() => false),
      ]);
      this.pending.delete(id);
      if (ok) return;
    }
    throw new Error(`the Deno kernel did not answer within ${timeoutMs} ms:\n${this.stderr}`);
  }

  private sign(parts: string[]): string {
    const h = createHmac("sha256", this.key);
    for (const p of parts) h.update(p);
    return h.digest("hex");
  }

  private send(socket: zmq.Dealer, msgType: string, content: Record<string, unknown>): string {
    const msgId = crypto.randomUUID();
    const header = JSON.stringify({
      msg_id: msgId,
      msg_type: msgType,
      session: this.session,
      username: "paper-notebooks",
      date: new Date().toISOString(),
      version: "5.3",
    });
    const parts = [header, "{}", "{}", JSON.stringify(content)];
    // zeromq.js refuses a send while the socket's previous one is still pending: queue them per socket.
    const previous = this.sending.get(socket) ?? Promise.resolve();
    this.sending.set(
      socket,
      previous.then(() => socket.send([DELIM, this.sign(parts), ...parts])).catch(() => {/* socket closed */}),
    );
    return msgId;
  }

  private receive(frames: Buffer[], channel: ChannelName): void {
    const bytes = frames.reduce((n, f) => n + f.length, 0);
    const strings = frames.map((f) => f.toString("utf8"));
    const i = strings.indexOf(DELIM);
    if (i < 0 || strings.length < i + 6) {
      this.protocolError({ channel, bytes, problem: `has ${frames.length} frames and no Jupyter envelope` });
      return;
    }
    const [signature, header, parent, metadata, content] = strings.slice(i + 1, i + 6);
    let msgType: string | undefined;
    try {
      msgType = JSON.parse(header).msg_type;
    } catch { /* reported below */ }
    if (signature !== this.sign([header, parent, metadata, content])) {
      this.protocolError({ channel, bytes, msgType, problem: "failed verification" });
      return;
    }
    let msg: JupyterMessage;
    try {
      msg = {
        header: JSON.parse(header),
        parent_header: JSON.parse(parent),
        metadata: JSON.parse(metadata),
        content: JSON.parse(content),
      };
    } catch {
      this.protocolError({ channel, bytes, msgType, problem: "is not JSON" });
      return;
    }
    const parentId = msg.parent_header.msg_id;
    if (parentId) this.pending.get(parentId)?.(msg, channel);
  }

  private protocolError(e: ProtocolError): void {
    this.protocolErrors.push(e);
    this.onProtocolError?.(e);
  }

  /**
   * Executes code and waits until its outputs are complete: the execute_reply, the idle status, and an end-of-cell
   * marker published behind the cell's outputs (see the module comment). With `timeoutMs`, the cell is interrupted
   * over the control channel when it runs too long; a kernel that does not answer the interrupt within
   * `interruptGraceMs` is killed (status "timeout", recovered "killed"; {@link alive} is then false). A message
   * that cannot be read, or a marker that never comes, ends the cell with status "lost".
   */
  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteOutcome> {
    if (!this.alive) throw new Error("the kernel is not running");
    const timing: Record<string, string> = {};
    const reply = deferred<Record<string, unknown>>();
    const idle = deferred<void>();
    const broken = deferred<ProtocolError>();
    let sawIdle = false;
    let executionCount: number | null = null;
    const id = this.send(this.shell, "execute_request", {
      code,
      silent: options.silent ?? false,
      store_history: !options.silent,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
    this.pending.set(id, (msg, channel) => {
      if (channel === "shell" && msg.header.msg_type === "execute_reply") {
        timing["shell.execute_reply"] = new Date().toISOString();
        reply.resolve(msg.content);
        return;
      }
      if (channel !== "iopub") return;
      const type = msg.header.msg_type;
      if (type === "status") {
        if (msg.content.execution_state === "busy") timing["iopub.status.busy"] ??= new Date().toISOString();
        if (msg.content.execution_state === "idle") {
          timing["iopub.status.idle"] = new Date().toISOString();
          sawIdle = true;
          idle.resolve();
        }
        return;
      }
      if (type === "execute_input") {
        timing["iopub.execute_input"] = new Date().toISOString();
        executionCount = (msg.content.execution_count as number) ?? executionCount;
        return;
      }
      options.onIopub?.(msg);
    });
    this.onProtocolError = (e) => broken.resolve(e);
    const replied = reply.promise.then((r) => ({ kind: "reply" as const, r }));
    const died = this.exit.then((status) => ({ kind: "died" as const, status }));
    const lost = broken.promise.then((e) => ({ kind: "lost" as const, why: describeProtocolError(e) }));
    const aborted = abortPromise(options.signal);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = options.timeoutMs === undefined
      ? new Promise<never>(() => {})
      : new Promise<{ kind: "timeout" }>((r) => (timer = setTimeout(() => r({ kind: "timeout" }), options.timeoutMs)));
    const settle = () => this.awaitOutputs(options, () => sawIdle, idle.promise, lost);
    try {
      const first = await Promise.race([replied, died, lost, timedOut, aborted]);
      if (first.kind === "reply") {
        const status = first.r.status === "ok" ? "ok" : "error";
        executionCount = (first.r.execution_count as number) ?? executionCount;
        const end = await Promise.race([settle(), aborted]);
        if (end.kind === "aborted") return this.abort(executionCount, timing);
        if (end.kind === "died") return { status: "died", executionCount, timing, exit: end.status };
        if (end.kind === "lost") return { status: "lost", reply: first.r, executionCount, timing, lost: end.why };
        return { status, reply: first.r, executionCount, timing };
      }
      if (first.kind === "died") return { status: "died", executionCount, timing, exit: first.status };
      if (first.kind === "lost") return { status: "lost", executionCount, timing, lost: first.why };
      if (first.kind === "aborted") return this.abort(executionCount, timing);
      // Timed out: interrupt over the control channel, then kill if the kernel does not come back.
      this.interrupt();
      const grace = await Promise.race([replied, died, sleep(options.interruptGraceMs ?? 5000).then(() => null)]);
      if (grace && grace.kind === "reply") {
        await settle();
        return { status: "timeout", executionCount, timing, recovered: "interrupted" };
      }
      await this.kill();
      return { status: "timeout", executionCount, timing, recovered: "killed" };
    } finally {
      clearTimeout(timer);
      this.onProtocolError = undefined;
      this.pending.delete(id);
    }
  }

  private async abort(executionCount: number | null, timing: Record<string, string>): Promise<ExecuteOutcome> {
    await this.kill();
    return { status: "aborted", executionCount, timing };
  }

  /**
   * After a cell's execute_reply: asks the kernel (silently) to flush lib's buffered console and to publish a
   * marker. The kernel publishes from one queue, so the marker comes after every output the cell queued, whatever
   * parent the kernel stamped on them: those stamped with the marker request's are passed to the cell's `onIopub`
   * here, those stamped with the cell's still reach it through the cell's own handler.
   */
  private async awaitOutputs(
    options: ExecuteOptions,
    sawIdle: () => boolean,
    idle: Promise<void>,
    lost: Promise<{ kind: "lost"; why: string }>,
  ): Promise<{ kind: "done" } | { kind: "died"; status: Deno.CommandStatus } | { kind: "lost"; why: string }> {
    const limitMs = options.outputTimeoutMs ?? 60_000;
    const marker = crypto.randomUUID();
    const gotMarker = deferred<void>();
    const markerReply = deferred<void>();
    const code = `globalThis[Symbol.for(${JSON.stringify(KERNEL_OUTPUT_KEY)})]?.flush();\n` +
      `Deno.jupyter.broadcast(${JSON.stringify(MARKER_MSG_TYPE)}, { marker: ${JSON.stringify(marker)} });`;
    const markerId = this.send(this.shell, "execute_request", {
      code,
      silent: true,
      store_history: false,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: false,
    });
    this.pending.set(markerId, (msg, channel) => {
      const type = msg.header.msg_type;
      if (channel === "shell") {
        if (type === "execute_reply") markerReply.resolve();
      } else if (type === MARKER_MSG_TYPE) {
        if (msg.content.marker === marker) gotMarker.resolve();
      } else if (type !== "status" && type !== "execute_input") {
        options.onIopub?.(msg);
      }
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const end = await Promise.race([
        Promise.all([gotMarker.promise, markerReply.promise, idle]).then(() => ({ kind: "done" as const })),
        this.exit.then((status) => ({ kind: "died" as const, status })),
        lost,
        new Promise<{ kind: "timeout" }>((r) => (timer = setTimeout(() => r({ kind: "timeout" }), limitMs))),
      ]);
      if (end.kind !== "timeout") return end;
      const secs = +(limitMs / 1000).toFixed(1);
      return {
        kind: "lost",
        why: sawIdle()
          ? `the kernel did not confirm within ${secs} s that all of the cell's outputs were sent ` +
            "(no end-of-cell marker): outputs may be missing"
          : `the kernel's idle status never came after the reply (waited ${secs} s): outputs may be missing`,
      };
    } finally {
      clearTimeout(timer);
      this.pending.delete(markerId);
    }
  }

  /**
   * Sends interrupt_request over the control channel (the kernelspec's `interrupt_mode: "message"`; a SIGINT would
   * kill the Deno kernel). The interrupted cell then ends with an error; Deno sends no interrupt_reply to wait for.
   */
  interrupt(): void {
    if (this.alive) this.send(this.control, "interrupt_request", {});
  }

  private async kill(): Promise<void> {
    if (!this.exited) {
      try {
        this.child.kill("SIGKILL");
      } catch { /* already gone */ }
    }
    await this.exit;
  }

  /**
   * Shuts the kernel down: a shutdown_request over control, then SIGKILL if it has not exited within `graceMs`.
   * Always releases the channels and removes the connection file. Safe to call twice.
   */
  shutdown(graceMs = 2000): Promise<void> {
    return this.shuttingDown ??= this.doShutdown(graceMs);
  }

  private async doShutdown(graceMs: number): Promise<void> {
    if (!this.exited && !this.closed) {
      this.send(this.control, "shutdown_request", { restart: false });
      await Promise.race([this.exit, sleep(graceMs)]);
    }
    this.closed = true;
    await this.kill();
    releaseChannels(this.channels);
    await Deno.remove(join(this.connFile, ".."), { recursive: true }).catch(() => {});
    live.delete(this);
  }
}

function abortPromise(signal: AbortSignal | undefined): Promise<{ kind: "aborted" }> {
  if (!signal) return new Promise(() => {});
  if (signal.aborted) return Promise.resolve({ kind: "aborted" });
  return new Promise((r) => signal.addEventListener("abort", () => r({ kind: "aborted" }), { once: true }));
}

/** One sentence for a reader about a message that could not be read, with what to do about it. */
export function describeProtocolError(e: ProtocolError): string {
  const mb = e.bytes / (1024 * 1024);
  const size = mb >= 0.1 ? `${mb.toFixed(1)} MB` : `${e.bytes}-byte`;
  const hint = mb >= 1
    ? "the Deno kernel garbles a message this large when it writes it beside a status message; keep each output " +
      "well under 1 MB (lib/display refuses larger ones)"
    : "the kernel's message stream was broken, most likely by a large message before it";
  return `a ${size} ${e.msgType ?? "unreadable"} message on ${e.channel} ${e.problem}: ${hint}. ` +
    "Outputs may be missing";
}

/** Shuts down every kernel this process started (for Ctrl-C and fatal errors). */
export async function shutdownAllKernels(): Promise<void> {
  await Promise.all([...live].map((k) => k.shutdown(500)));
}
