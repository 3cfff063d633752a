import { z } from 'zod';

/** Thrown when the environment lacks a setting or holds a malformed one; names every such setting. */
export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

/**
 * Validates the environment against a schema of settings (one key per environment variable)
 * and returns them typed. Every problem is reported at once, each naming its variable, so a
 * service fails at start with one message instead of at the first use of a bad value.
 */
export function loadSettings<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  // Empty strings count as unset, the way a blank line in .env means "not given".
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(given);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = issue.path.join('.');
    return issue.code === 'invalid_type' && given[name] === undefined
      ? `${name} is required but not set`
      : `${name}: ${issue.message}`;
  });
  throw new SettingsError(problems);
}
