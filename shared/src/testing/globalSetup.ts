import { dockerAvailable, startDockerServices } from './dockerServices';
import { startLocalServices } from './localServices';
import { endpointsFromEnvironment, publishEndpoints } from './serviceEndpoints';

/**
 * Finds the services for the integration tests, in this order: URLs in the environment; a
 * Docker engine, through testcontainers; otherwise the project's own infra/local scripts.
 */
export default async function globalSetup(): Promise<void> {
  const endpoints = endpointsFromEnvironment() ?? ((await dockerAvailable()) ? await startDockerServices() : startLocalServices());
  publishEndpoints(endpoints);
  process.stderr.write(`\nintegration services: ${endpoints.source} (postgres ${endpoints.postgres.host}:${endpoints.postgres.port}, rabbitmq ${endpoints.rabbitmq.host}:${endpoints.rabbitmq.port}, minio ${endpoints.minio.host}:${endpoints.minio.port})\n`);
}
