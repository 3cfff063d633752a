import { readinessDetail } from './serviceHealth';

describe('readinessDetail', () => {
  it('names the failing checks of one of our health servers', () => {
    const body = JSON.stringify({ status: 'not ready', checks: { postgres: 'ok', rabbitmq: 'not consuming', minio: 'connect ECONNREFUSED' } });
    expect(readinessDetail(503, body)).toBe('rabbitmq: not consuming; minio: connect ECONNREFUSED');
  });

  it('gives the status and the first words of any other answer', () => {
    expect(readinessDetail(502, '<html>Bad gateway</html>')).toBe('HTTP 502: <html>Bad gateway</html>');
    expect(readinessDetail(500, '')).toBe('HTTP 500');
  });
});
