import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** The query API's package folder, from src/ (tests) and dist/ (the built service) alike. */
const PACKAGE_ROOT = path.resolve(__dirname, '..');
/** Written by hand: the page, its style sheet, its icon. */
export const CONSOLE_STATIC_DIR = path.join(PACKAGE_ROOT, 'console/static');
/** The console's modules, compiled by `tsc -b` from console/src. */
export const CONSOLE_SCRIPTS_DIR = path.join(PACKAGE_ROOT, 'dist/console');

export interface Asset {
  body: Buffer;
  contentType: string;
  /** A strong validator of the content, for If-None-Match. */
  etag: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

function asset(body: Buffer, file: string): Asset {
  return { body, contentType: TYPES[path.extname(file)]!, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/** Where the page wants the preload links of its modules. */
const PRELOAD_MARKER = /^\s*<!-- modulepreload:[^>]*-->$/m;

/**
 * The page with a `<link rel="modulepreload">` for each module: the browser fetches them all at
 * once as it reads the page, instead of discovering them import by import (four round trips
 * deep), which took a third of the first render.
 */
export function withModulePreloads(html: string, modules: string[]): string {
  if (!PRELOAD_MARKER.test(html)) throw new Error('the console page has no <!-- modulepreload --> marker');
  return html.replace(PRELOAD_MARKER, modules.map((file) => `  <link rel="modulepreload" href="/console/${file}">`).join('\n'));
}

/**
 * Every file the console is made of, read once at start, by the URL path it is served at: `/` the
 * page, `/console/<name>` the rest. Only these are ever served (no path from a request reaches the
 * file system). The compiled modules are those of dist/console but its tests and declarations.
 * Throws when the console is not built.
 */
export async function loadConsoleAssets(staticDir = CONSOLE_STATIC_DIR, scriptsDir = CONSOLE_SCRIPTS_DIR): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  const add = async (dir: string, file: string, urlPath: string) => assets.set(urlPath, asset(await readFile(path.join(dir, file)), file));
  let scripts: string[];
  try {
    scripts = (await readdir(scriptsDir)).filter((file) => file.endsWith('.js') && !file.endsWith('.test.js')).sort();
  } catch (err) {
    throw new Error(`the console is not built (${scriptsDir}: ${(err as Error).message}): run npx tsc -b`, { cause: err });
  }
  if (!scripts.includes('main.js')) throw new Error(`the console is not built (no main.js in ${scriptsDir}): run npx tsc -b`);
  for (const file of scripts) await add(scriptsDir, file, `/console/${file}`);
  // A module of types alone compiles to comments and `export {};`: nothing imports it at run time.
  const typesOnly = (file: string) => assets.get(`/console/${file}`)!.body.toString().replace(/^\s*\/\/.*$/gm, '').trim() === 'export {};';
  const imported = scripts.filter((file) => file !== 'main.js' && !typesOnly(file));
  for (const file of await readdir(staticDir)) {
    if (file === 'index.html') {
      const page = withModulePreloads(await readFile(path.join(staticDir, file), 'utf8'), imported);
      assets.set('/', asset(Buffer.from(page), file));
    } else if (TYPES[path.extname(file)]) await add(staticDir, file, `/console/${file}`);
  }
  return assets;
}
