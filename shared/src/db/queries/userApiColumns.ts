/** A user as the API returns it: named fields, birthdate as ISO 8601 UTC and as milliseconds. */
export interface ApiUser {
  id: number;
  user_id: string;
  first_name: string;
  last_name: string;
  birthdate: string;
  birthts: number;
  img_path: string | null;
}

export const API_USER_COLUMNS = `id, user_id, first_name, last_name,
  to_char(birthdate AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS birthdate,
  (extract(epoch FROM birthdate) * 1000)::bigint AS birthts, img_path`;
