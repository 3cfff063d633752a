import fp from 'fastify-plugin';

/**
 * The console page's policy: scripts, styles, pictures and requests from this origin only; no
 * inline script or style, no plugin, no framing, no form posting elsewhere.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Every other reply is data, never a page: nothing in it may run, even opened in a browser tab. */
const DATA_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Headers that keep the console and the API same-origin: no framing, no content sniffing (a
 * picture is never read as a page), and no other site may embed our replies. Routes that serve
 * the console set CONSOLE_CSP themselves; the docs pages (@fastify/swagger-ui) keep their own.
 */
export const securityHeaders = fp<{ docsPrefix: string }>(
  async (app, opts) => {
    app.addHook('onSend', async (request, reply) => {
      if (request.url.startsWith(opts.docsPrefix)) return;
      reply.header('x-content-type-options', 'nosniff');
      reply.header('x-frame-options', 'DENY');
      reply.header('cross-origin-resource-policy', 'same-origin');
      reply.header('referrer-policy', 'no-referrer');
      if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', DATA_CSP);
    });
  },
  { name: 'security-headers' },
);
