import { minioLogin } from './createMinioClient';

describe('minioLogin', () => {
  it("takes each service's own user from its settings", () => {
    expect(minioLogin({ WORKER_MINIO_ACCESS_KEY: 'w', WORKER_MINIO_SECRET_KEY: 'ws' })).toEqual({ accessKey: 'w', secretKey: 'ws' });
    expect(minioLogin({ REBUILD_MINIO_ACCESS_KEY: 'r', REBUILD_MINIO_SECRET_KEY: 'rs' })).toEqual({ accessKey: 'r', secretKey: 'rs' });
  });

  it("takes the root account in people's tools", () => {
    expect(minioLogin({ MINIO_ACCESS_KEY: 'root', MINIO_SECRET_KEY: 'rs' })).toEqual({ accessKey: 'root', secretKey: 'rs' });
  });
});
