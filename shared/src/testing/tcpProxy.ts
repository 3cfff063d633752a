import net from 'node:net';

/**
 * A loopback TCP proxy in front of a real service, so a test can cut every connection at
 * once (as a broker or database restart would) without disturbing the service itself, which
 * other test files share.
 */
export class TcpProxy {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;
  /** Sees the start of every chunk a client sends (for HTTP: request lines), e.g. to count requests. */
  onRequest: ((head: string) => void) | undefined;

  /** With latencyMs, every reply from the service is held back that long (a slow network). */
  constructor(
    target: { host: string; port: number },
    private readonly opts: { latencyMs?: number } = {},
  ) {
    this.server = net.createServer((client) => {
      const upstream = net.connect(target.port, target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.on('data', (chunk: Buffer) => this.onRequest?.(chunk.subarray(0, 512).toString('latin1')));
      client.pipe(upstream);
      const latency = this.opts.latencyMs ?? 0;
      if (latency === 0) upstream.pipe(client);
      else upstream.on('data', (chunk) => setTimeout(() => client.write(chunk), latency));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  /** Drops every open connection; new ones are accepted as before. */
  cutAll(): number {
    const n = this.sockets.size;
    for (const s of this.sockets) s.destroy();
    return n;
  }

  get connections(): number {
    return this.sockets.size;
  }

  async stop(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
