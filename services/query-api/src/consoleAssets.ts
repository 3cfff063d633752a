import { createHash } from 'node:crypto';
import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildSync, stop as stopEsbuild } from 'esbuild';

/** The query API's package folder, from src/ (tests) and dist/ (the built service) alike. */
const PACKAGE_ROOT = path.resolve(__dirname, '..');
/** Not compiled: the page, its style sheet, its icon. */
export const CONSOLE_STATIC_DIR = path.join(PACKAGE_ROOT, 'console/static');
/** The console's modules, compiled by `tsc -b` from console/src, which the API bundles at start. */
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
  '.png': 'image/png',
};

function asset(body: Buffer, file: string): Asset {
  return { body, contentType: TYPES[path.extname(file)]!, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/**
 * The console's modules as one: the browser gets the page, then this one script, and the users
 * view asks for its rows as soon as it runs. As twelve files, even all preloaded at once, they
 * were a dozen requests through the six connections the browser opens to one server, each a trip
 * through the API: in bench-console the last arrived about 240 ms into the load, the one script
 * about 130 ms (medians, on the same loaded 2-core machine). esbuild joins the
 * compiled ES modules into one, in the order the browser would run them, and changes nothing
 * else (no minifying: what runs is what tsc wrote). Once, at start, in a process of its own,
 * stopped after the call: buildSync keeps esbuild's service (a worker thread and a child process)
 * running for later calls, and there are none.
 */
export function bundleConsole(entry: string): Buffer {
  try {
    const result = buildSync({ entryPoints: [entry], bundle: true, format: 'esm', target: 'es2022', platform: 'browser', write: false, charset: 'utf8', legalComments: 'none', logLevel: 'silent' });
    return Buffer.from(result.outputFiles[0]!.contents);
  } finally {
    void stopEsbuild();
  }
}

/**
 * Every file the console is made of, read once at start, by the URL path it is served at: `/` the
 * page, `/console/<name>` the rest. Only these are ever served (no path from a request reaches the
 * file system). The compiled modules are served as one script, `/console/main.js`
 * (bundleConsole). Throws when the console is not built.
 */
export async function loadConsoleAssets(staticDir = CONSOLE_STATIC_DIR, scriptsDir = CONSOLE_SCRIPTS_DIR): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  const entry = path.join(scriptsDir, 'main.js');
  try {
    await access(entry);
  } catch (err) {
    throw new Error(`the console is not built (no ${entry}): run npx tsc -b`, { cause: err });
  }
  assets.set('/console/main.js', asset(bundleConsole(entry), entry));
  for (const file of await readdir(staticDir)) {
    if (file === 'index.html') assets.set('/', asset(await readFile(path.join(staticDir, file)), file));
    else if (TYPES[path.extname(file)]) assets.set(`/console/${file}`, asset(await readFile(path.join(staticDir, file)), file));
  }
  return assets;
}
