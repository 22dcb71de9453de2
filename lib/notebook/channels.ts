/**
 * The ZeroMQ sockets to a kernel (shell, control, iopub).
 *
 * Closing a `zeromq` socket under Deno 2.9 can crash the process later: a libuv poll callback of the closed socket
 * fires after its poller was freed (a segfault in `zmq::Poller<Socket::Poller>::Callback` of the zeromq 6.8.0
 * addon, seen in dmesg after long test runs). So sockets are never closed: when a kernel is gone its sockets are
 * disconnected and kept referenced for the life of the process (three small sockets per kernel run).
 */
import * as zmq from "zeromq";

/** The channel names the client uses. */
export type ChannelName = "shell" | "control" | "iopub";

/** Ports of one kernel's connection file. */
export interface KernelPorts {
  shell: number;
  iopub: number;
  stdin: number;
  control: number;
  hb: number;
}

/** A set of connected sockets and the ports a kernel must bind. */
export interface Channels {
  readonly ports: KernelPorts;
  readonly shell: zmq.Dealer;
  readonly control: zmq.Dealer;
  readonly iopub: zmq.Subscriber;
  /** Receives every multipart message that arrives, while a kernel client owns these channels. */
  receiver: ((frames: Buffer[], channel: ChannelName) => void) | null;
}

const retired: Channels[] = [];

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

const url = (port: number) => `tcp://127.0.0.1:${port}`;

async function pump(socket: zmq.Dealer | zmq.Subscriber, channels: Channels, name: ChannelName): Promise<void> {
  try {
    for await (const frames of socket) channels.receiver?.(frames, name);
  } catch {
    // the socket stopped receiving; nothing else reads it
  }
}

function open(): Channels {
  const ports = { shell: freePort(), iopub: freePort(), stdin: freePort(), control: freePort(), hb: freePort() };
  const channels: Channels = {
    ports,
    shell: new zmq.Dealer({ linger: 0 }),
    control: new zmq.Dealer({ linger: 0 }),
    iopub: new zmq.Subscriber({ linger: 0 }),
    receiver: null,
  };
  channels.shell.connect(url(ports.shell));
  channels.control.connect(url(ports.control));
  channels.iopub.connect(url(ports.iopub));
  channels.iopub.subscribe();
  pump(channels.shell, channels, "shell");
  pump(channels.control, channels, "control");
  pump(channels.iopub, channels, "iopub");
  return channels;
}

/** New channels for a kernel, on free ports. */
export function acquireChannels(): Channels {
  return open();
}

/**
 * Stops using channels: the sockets are disconnected but never closed, and stay referenced so they are never
 * finalised either (see the module comment).
 */
export function releaseChannels(channels: Channels): void {
  channels.receiver = null;
  for (
    const [socket, port] of [
      [channels.shell, channels.ports.shell],
      [channels.control, channels.ports.control],
      [channels.iopub, channels.ports.iopub],
    ] as const
  ) {
    try {
      socket.disconnect(url(port));
    } catch { /* already disconnected */ }
  }
  retired.push(channels);
}
