/**
 * A Jupyter client for the real Deno kernel (`deno jupyter --kernel --conn FILE`), over ZeroMQ with the `zeromq`
 * package. It speaks the Jupyter messaging protocol 5.3 (signed multipart messages on shell, control and iopub),
 * executes code, relays iopub messages, interrupts over the control channel and kills a kernel that does not answer.
 */
import { createHmac } from "node:crypto";
import { join } from "node:path";
import type * as zmq from "zeromq";
import { acquireChannels, type ChannelName, type Channels, releaseChannels } from "./channels.ts";

/** A Jupyter message as received (header, parent header, metadata, content). */
export interface JupyterMessage {
  header: { msg_id: string; msg_type: string; session: string; date?: string; username?: string; version?: string };
  parent_header: { msg_id?: string; msg_type?: string };
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
}

/** How a code execution ended. */
export type ExecuteStatus = "ok" | "error" | "timeout" | "died";

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
    socket.send([DELIM, this.sign(parts), ...parts]).catch(() => {/* socket closed */});
    return msgId;
  }

  private receive(frames: Buffer[], channel: ChannelName): void {
    const strings = frames.map((f) => f.toString("utf8"));
    const i = strings.indexOf(DELIM);
    if (i < 0 || strings.length < i + 6) return;
    const [signature, header, parent, metadata, content] = strings.slice(i + 1, i + 6);
    if (signature !== this.sign([header, parent, metadata, content])) return; // not from this kernel
    const msg: JupyterMessage = {
      header: JSON.parse(header),
      parent_header: JSON.parse(parent),
      metadata: JSON.parse(metadata),
      content: JSON.parse(content),
    };
    const parentId = msg.parent_header.msg_id;
    if (parentId) this.pending.get(parentId)?.(msg, channel);
  }

  /**
   * Executes code and waits for both its execute_reply and the kernel going idle. With `timeoutMs`, the cell is
   * interrupted over the control channel when it runs too long; a kernel that does not answer the interrupt within
   * `interruptGraceMs` is killed (status "timeout", recovered "killed"; {@link alive} is then false).
   */
  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteOutcome> {
    if (!this.alive) throw new Error("the kernel is not running");
    const timing: Record<string, string> = {};
    const reply = deferred<Record<string, unknown>>();
    const idle = deferred<void>();
    let executionCount: number | null = null;
    const id = this.send(this.shell, "execute_request", {
      code,
      silent: false,
      store_history: true,
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
    const finished = Promise.all([reply.promise, idle.promise]).then(([r]) => ({ kind: "done" as const, r }));
    const died = this.exit.then(() => ({ kind: "died" as const }));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = options.timeoutMs === undefined
      ? new Promise<never>(() => {})
      : new Promise<{ kind: "timeout" }>((r) => (timer = setTimeout(() => r({ kind: "timeout" }), options.timeoutMs)));
    try {
      const first = await Promise.race([finished, died, timedOut]);
      if (first.kind === "done") {
        await this.barrier();
        const status = first.r.status === "ok" ? "ok" : "error";
        executionCount = (first.r.execution_count as number) ?? executionCount;
        return { status, reply: first.r, executionCount, timing };
      }
      if (first.kind === "died") return { status: "died", executionCount, timing };
      // Timed out: interrupt over the control channel, then kill if the kernel does not come back.
      this.interrupt();
      const grace = await Promise.race([finished, died, sleep(options.interruptGraceMs ?? 5000).then(() => null)]);
      if (grace && grace.kind === "done") {
        return { status: "timeout", executionCount, timing, recovered: "interrupted" };
      }
      await this.kill();
      return { status: "timeout", executionCount, timing, recovered: "killed" };
    } finally {
      clearTimeout(timer);
      this.pending.delete(id);
    }
  }

  /**
   * Waits until the kernel has published everything of the previous request. The Deno kernel can send a cell's
   * execute_result on iopub after its idle status; a kernel_info round trip (reply and idle on iopub) orders the
   * straggler before it.
   */
  private async barrier(timeoutMs = 2000): Promise<void> {
    const idle = deferred<void>();
    const id = this.send(this.shell, "kernel_info_request", {});
    this.pending.set(id, (msg, channel) => {
      if (channel === "iopub" && msg.header.msg_type === "status" && msg.content.execution_state === "idle") {
        idle.resolve();
      }
    });
    await Promise.race([idle.promise, sleep(timeoutMs), this.exit]);
    this.pending.delete(id);
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

/** Shuts down every kernel this process started (for Ctrl-C and fatal errors). */
export async function shutdownAllKernels(): Promise<void> {
  await Promise.all([...live].map((k) => k.shutdown(500)));
}
