import net from 'node:net';

/**
 * A GET over a bare socket, for tests that behave as real clients do and `fetch` cannot: leave
 * before the first byte, leave in the middle of the body, or stop reading and stay connected.
 */
export class RawGet {
  readonly socket: net.Socket;
  private received = Buffer.alloc(0);
  private tail = '';
  readonly closed: Promise<void>;
  private readonly firstData: Promise<void>;

  /** `holdAtFirstByte`: stop reading as soon as the first bytes arrive, so the reply stays in the middle. */
  constructor(baseUrl: string, path: string, opts: { holdAtFirstByte?: boolean } = {}) {
    const { hostname, port } = new URL(baseUrl);
    this.socket = net.connect(Number(port), hostname);
    this.socket.on('error', () => undefined);
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`);
    this.firstData = new Promise((resolve) =>
      this.socket.once('data', () => {
        if (opts.holdAtFirstByte) this.socket.pause();
        resolve();
      }),
    );
    this.socket.on('data', (chunk: Buffer) => {
      if (this.received.length < 64 * 1024) this.received = Buffer.concat([this.received, chunk]);
      this.tail = (this.tail + chunk.toString('latin1')).slice(-16);
    });
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve()));
  }

  /** The first bytes of the response (at most 64 KiB). */
  get head(): string {
    return this.received.toString('latin1');
  }

  /** Whether the reply ended as a complete chunked body does (with its last, empty chunk). */
  get complete(): boolean {
    return this.tail.endsWith('\r\n0\r\n\r\n');
  }

  async untilFirstByte(): Promise<void> {
    await this.firstData;
  }

  /** Stops reading: the server's writes back up once the socket buffers are full. */
  stopReading(): void {
    this.socket.pause();
  }

  /** Reads again, to the end of what the server sent. */
  async readToEnd(): Promise<void> {
    this.socket.resume();
    await this.closed;
  }

  /** Closes the connection the way `curl | head` or a browser navigating away does. */
  leave(): void {
    this.socket.destroy();
  }
}
