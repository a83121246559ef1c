/**
 * A TCP proxy a test can cut and restore, to put a real store outage between the provider and
 * Postgres or Redis. `cut()` destroys every open connection and refuses new ones (the provider
 * sees ECONNRESET, then ECONNREFUSED-like failures); `restore()` accepts connections again.
 * Listens on a free loopback port chosen by the OS.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** host:port the provider should connect to instead of the target. */
  readonly host: string;
  readonly port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let cut = false;
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    // A reset peer is what a cut is meant to produce; it must not crash the test process.
    socket.on('error', () => socket.destroy());
  };
  const server: Server = createServer((inbound) => {
    track(inbound);
    if (cut) {
      inbound.resetAndDestroy();
      return;
    }
    const outbound = createConnection(target);
    track(outbound);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    host: '127.0.0.1',
    port,
    cut() {
      cut = true;
      for (const socket of open) socket.resetAndDestroy();
    },
    restore() {
      cut = false;
    },
    async close() {
      cut = true;
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A URL with its host and port replaced by the proxy's. */
export function throughProxy(url: string, proxy: TcpProxy): string {
  const parsed = new URL(url);
  parsed.hostname = proxy.host;
  parsed.port = String(proxy.port);
  return parsed.toString();
}
