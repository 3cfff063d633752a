export interface ServiceHealth {
  name: string;
  url: string;
  ok: boolean;
  detail: string | null;
}

/** What a failing /readyz said: its failing checks when it lists them (our services' health servers do), else its first words. */
export function readinessDetail(status: number, body: string): string {
  try {
    const checks = (JSON.parse(body) as { checks?: Record<string, unknown> }).checks;
    if (checks && typeof checks === 'object') {
      const failing = Object.entries(checks).filter(([, v]) => v !== 'ok');
      if (failing.length > 0) return failing.map(([name, v]) => `${name}: ${String(v)}`).join('; ').slice(0, 300);
    }
  } catch {
    // not JSON: said as it is, below
  }
  return `HTTP ${status}${body.trim() ? `: ${body.trim().slice(0, 200)}` : ''}`;
}

/** Asks a service's health server whether it is ready (`/readyz`), giving it `timeoutMs` to answer. */
export async function probeService(service: { name: string; url: string }, timeoutMs: number): Promise<ServiceHealth> {
  try {
    const res = await fetch(`${service.url}/readyz`, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    const body = await res.text();
    return { ...service, ok: res.ok, detail: res.ok ? null : readinessDetail(res.status, body) };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (cause ?? (err as Error).message);
    return { ...service, ok: false, detail: `unreachable: ${reason}` };
  }
}
