import * as Minio from 'minio';
import type { MinioSettings, RebuildSettings, WorkerSettings } from '../config/settings';

export type MinioClient = Minio.Client;

/**
 * The one MinIO login a set of settings carries: a service's own user, whose policy allows only
 * what that service does (infra/minio/policies), or the root account, in people's tools (make
 * demo, benchmarks).
 */
export type MinioLogin =
  | Pick<WorkerSettings, 'WORKER_MINIO_ACCESS_KEY' | 'WORKER_MINIO_SECRET_KEY'>
  | Pick<RebuildSettings, 'REBUILD_MINIO_ACCESS_KEY' | 'REBUILD_MINIO_SECRET_KEY'>
  | Pick<MinioSettings, 'MINIO_ACCESS_KEY' | 'MINIO_SECRET_KEY'>;

export function minioLogin(s: MinioLogin): { accessKey: string; secretKey: string } {
  if ('WORKER_MINIO_ACCESS_KEY' in s) return { accessKey: s.WORKER_MINIO_ACCESS_KEY, secretKey: s.WORKER_MINIO_SECRET_KEY };
  if ('REBUILD_MINIO_ACCESS_KEY' in s) return { accessKey: s.REBUILD_MINIO_ACCESS_KEY, secretKey: s.REBUILD_MINIO_SECRET_KEY };
  return { accessKey: s.MINIO_ACCESS_KEY, secretKey: s.MINIO_SECRET_KEY };
}

/**
 * A client told its region, so it never asks for it: minio-js forgets the region after every
 * 404 and would ask again (a GetBucketLocation, which the services' policies do not allow).
 */
export function createMinioClient(s: Pick<MinioSettings, 'MINIO_HOST' | 'MINIO_PORT' | 'MINIO_USE_SSL' | 'MINIO_REGION'> & MinioLogin): Minio.Client {
  return new Minio.Client({ endPoint: s.MINIO_HOST, port: s.MINIO_PORT, useSSL: s.MINIO_USE_SSL, region: s.MINIO_REGION, ...minioLogin(s) });
}
