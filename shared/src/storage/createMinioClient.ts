import * as Minio from 'minio';
import type { MinioSettings } from '../config/settings';

export type MinioClient = Minio.Client;

export function createMinioClient(s: MinioSettings): Minio.Client {
  return new Minio.Client({
    endPoint: s.MINIO_HOST,
    port: s.MINIO_PORT,
    useSSL: s.MINIO_USE_SSL,
    accessKey: s.MINIO_ACCESS_KEY,
    secretKey: s.MINIO_SECRET_KEY,
  });
}
