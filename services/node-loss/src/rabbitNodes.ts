/** One RabbitMQ node the test may ask about queue depths. */
export interface RabbitNode {
  host: string;
  port: number;
}

/**
 * The nodes named by RABBITMQ_HOST: one host (the single-node stack, its port in RABBITMQ_PORT)
 * or, on the cluster, a comma-separated list of `host:port` (a missing port is RABBITMQ_PORT).
 * The test reads queue depths from whichever of them answers, since one of them is killed.
 */
export function parseRabbitNodes(hosts: string, defaultPort: number): RabbitNode[] {
  const nodes = hosts
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((entry) => {
      // [v6]:port, or host:port, or a bare host.
      const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
      const plain = /^([^:]+)(?::(\d+))?$/.exec(entry);
      const match = bracketed ?? plain;
      if (!match) throw new Error(`RABBITMQ_HOST: cannot read ${JSON.stringify(entry)} as host or host:port`);
      const port = match[2] === undefined ? defaultPort : Number(match[2]);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`RABBITMQ_HOST: bad port in ${JSON.stringify(entry)}`);
      return { host: match[1]!, port };
    });
  if (nodes.length === 0) throw new Error('RABBITMQ_HOST names no node');
  return nodes;
}
