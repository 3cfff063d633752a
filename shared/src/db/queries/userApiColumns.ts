/** The columns behind a user as the API returns it (its schema is the query API's userSchema), read as raw text: parsing a million rows into typed values costs more than the query. */
export const API_USER_COLUMNS = `id, user_id, first_name, last_name, (extract(epoch FROM birthdate) * 1000)::bigint AS birthts, img_path`;
export type ApiUserRow = [id: string, userId: string, firstName: string, lastName: string, birthts: string, imgPath: string | null];
export const RAW_TEXT = { getTypeParser: () => (value: string) => value };

/** One user as JSON text, in the field order of the API's user schema; birthdate comes from birthts, so they always agree. */
export function apiUserJson([id, userId, firstName, lastName, birthts, imgPath]: ApiUserRow): string {
  return (
    `{"id":${id},"user_id":${JSON.stringify(userId)},"first_name":${JSON.stringify(firstName)},"last_name":${JSON.stringify(lastName)},` +
    `"birthdate":"${new Date(Number(birthts)).toISOString()}","birthts":${birthts},"img_path":${imgPath === null ? 'null' : JSON.stringify(imgPath)}}`
  );
}
