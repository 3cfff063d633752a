import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { selectUserImagePath, type MinioClient, type Pool } from '@userpipe/shared';
import { Type } from '@sinclair/typebox';
import { parseIfNoneMatch, pictureKey, readPicture } from '../pictureStore';
import { errorSchema, userImageParamsSchema } from '../schemas';
import { sendStream } from '../sendStream';

export interface PictureRouteOptions {
  pool: Pool;
  /** A client with the query API's own MinIO user, which may only read the source bucket. */
  minio: MinioClient;
  srcBucket: string;
}

/**
 * A browser keeps a picture this long before it asks again (with its ETag, so a picture that did
 * not change costs a 304). Pictures change under the same URL when a user uploads a new one; a
 * minute of staleness spares the database and MinIO a request per thumbnail per page view.
 */
const CACHE_CONTROL = 'max-age=60';

const binary = Type.String({ format: 'binary' });
const pictureHeaders = {
  etag: Type.String({ description: 'The picture\'s version in MinIO; send it back in If-None-Match' }),
  'cache-control': Type.String({ description: CACHE_CONTROL }),
};

export const pictureRoutes: FastifyPluginAsyncTypebox<PictureRouteOptions> = async (app, { pool, minio, srcBucket }) => {
  app.get(
    '/users/:user_id/image',
    {
      schema: {
        summary: 'A user\'s picture, as the row points to it',
        description:
          'Streams the picture the user\'s row names (img_path) from the source bucket, with its ETag: If-None-Match with it gives 304. ' +
          '404 when there is no such user, the user has no picture, or the picture is gone from the bucket.',
        params: userImageParamsSchema,
        response: {
          200: {
            description: 'The picture, typed by its extension',
            headers: pictureHeaders,
            content: { 'image/png': { schema: binary }, 'image/jpeg': { schema: binary } },
          },
          304: { description: 'The client\'s copy (If-None-Match) is current; no body', headers: pictureHeaders, type: 'null' },
          400: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const userId = request.params.user_id;
      const notFound = (message: string) => reply.code(404).send({ statusCode: 404, error: 'Not Found', message });
      const imgPath = await selectUserImagePath(pool, userId);
      if (imgPath === undefined) return notFound(`no user ${userId}`);
      if (imgPath === null) return notFound(`user ${userId} has no picture`);
      const key = pictureKey(srcBucket, userId, imgPath);
      if (key === null) {
        // Reconcile writes only the user's own picture keys; anything else is not read.
        request.log.warn({ userId, imgPath }, 'img_path names no picture of this user in the source bucket; not served');
        return notFound(`user ${userId} has no picture`);
      }
      const picture = await readPicture(minio, srcBucket, key, parseIfNoneMatch(request.headers['if-none-match']));
      // Removed from the bucket, and the worker has not caught up yet.
      if (picture === null) return notFound(`the picture of user ${userId} is no longer in the bucket`);
      reply.header('etag', `"${picture.etag}"`).header('cache-control', CACHE_CONTROL);
      if (picture.status === 304) return reply.code(304).send();
      if (picture.contentLength !== undefined) reply.header('content-length', picture.contentLength);
      if (picture.lastModified !== undefined) reply.header('last-modified', picture.lastModified);
      return sendStream(reply, picture.contentType, picture.body);
    },
  );
};
