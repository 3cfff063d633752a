import { loadSettings, SettingsError } from './loadSettings';
import { queryApiSettings } from './settings';

// What the query API needs at start: its own logins (the MinIO one for pictures) and, for
// GET /status, the health servers to ask.
const env = {
  POSTGRES_HOST: 'db',
  POSTGRES_DB: 'userpipe',
  QUERY_POSTGRES_USER: 'q',
  QUERY_POSTGRES_PASSWORD: 'p',
  RABBITMQ_HOST: 'mq',
  QUERY_RABBITMQ_USER: 'q',
  QUERY_RABBITMQ_PASSWORD: 'p',
  MINIO_HOST: 'minio',
  QUERY_MINIO_ACCESS_KEY: 'userpipe-query',
  QUERY_MINIO_SECRET_KEY: 's',
};

const problems = (overrides: Record<string, string | undefined>) => {
  try {
    loadSettings(queryApiSettings, { ...env, ...overrides });
    return [];
  } catch (err) {
    return (err as SettingsError).problems;
  }
};

describe('queryApiSettings', () => {
  it('asks the local services\' health servers by default', () => {
    expect(loadSettings(queryApiSettings, env).API_STATUS_SERVICES).toEqual([
      { name: 'ingest-worker', url: 'http://127.0.0.1:8081' },
      { name: 'rebuild', url: 'http://127.0.0.1:8082' },
    ]);
  });

  it('reads name=URL pairs, and none', () => {
    expect(loadSettings(queryApiSettings, { ...env, API_STATUS_SERVICES: 'ingest-worker=http://ingest-worker:8081/,rebuild=https://rebuild:8443' }).API_STATUS_SERVICES).toEqual([
      { name: 'ingest-worker', url: 'http://ingest-worker:8081' },
      { name: 'rebuild', url: 'https://rebuild:8443' },
    ]);
    expect(loadSettings(queryApiSettings, { ...env, API_STATUS_SERVICES: 'none' }).API_STATUS_SERVICES).toEqual([]);
  });

  it.each([
    ['a bare URL', 'http://127.0.0.1:8081'],
    ['another scheme', 'worker=ftp://127.0.0.1'],
    ['a name given twice', 'w=http://a:1,w=http://b:2'],
    ['an upper-case name', 'Worker=http://a:1'],
  ])('refuses %s in API_STATUS_SERVICES, naming it', (_what, value) => {
    expect(problems({ API_STATUS_SERVICES: value })).toEqual([expect.stringMatching(/^API_STATUS_SERVICES: /)]);
  });

  it('requires the API\'s own MinIO login, and never the root account\'s', () => {
    expect(problems({ QUERY_MINIO_SECRET_KEY: undefined })).toEqual(['QUERY_MINIO_SECRET_KEY is required but not set']);
    expect(Object.keys(loadSettings(queryApiSettings, { ...env, MINIO_ACCESS_KEY: 'root', MINIO_SECRET_KEY: 'root' }))).not.toContain('MINIO_SECRET_KEY');
  });
});
