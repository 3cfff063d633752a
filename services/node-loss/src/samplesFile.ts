import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from './clusterControl';
import type { ProgressSample } from './stall';
import type { TimelineEntry } from './timeline';

/**
 * Keeps a run's raw progress samples and timeline in test-output/node-loss/<prefix>.json (not
 * committed), so a stall the report names can be looked at sample by sample afterwards.
 */
export async function writeSamples(prefix: string, data: { timeline: TimelineEntry[]; samples: ProgressSample[] }): Promise<string> {
  const dir = join(REPO_ROOT, 'test-output', 'node-loss');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${prefix.replace(/-$/, '')}.json`);
  await writeFile(file, JSON.stringify(data));
  return file;
}
