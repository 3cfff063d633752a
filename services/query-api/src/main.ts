import { queryApiSettings, runService } from '@userpipe/shared';
import { startQueryApi } from './startQueryApi';

runService('query-api', queryApiSettings, async (settings, logger) => {
  const api = await startQueryApi(settings, logger);
  logger.info({ url: api.url }, 'query API listening');
  return api;
});
