import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { bundleConsole, loadConsoleAssets } from './consoleAssets';

/** This process's children that run esbuild (from /proc). */
function esbuildChildren(): string[] {
  return readdirSync('/proc').filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return ppid === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('esbuild');
    } catch {
      return false; // not a process, or one that ended meanwhile
    }
  });
}

describe('bundleConsole', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'console-bundle-'));
    writeFileSync(path.join(dir, 'text.js'), "export const greeting = (name) => `hello ${name}`;\n");
    writeFileSync(path.join(dir, 'types.js'), 'export {};\n');
    writeFileSync(path.join(dir, 'main.js'), "import { greeting } from './text.js';\nimport './types.js';\ndocument.title = greeting('you');\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes one script of the modules main.js imports: nothing left to fetch', () => {
    const script = bundleConsole(path.join(dir, 'main.js')).toString();
    expect(script).not.toMatch(/\bimport\b/);
    expect(script).toContain('hello ${name}');
    expect(script).toContain("document.title = greeting(\"you\")");
  });

  it('leaves no esbuild process running beside the API', async () => {
    bundleConsole(path.join(dir, 'main.js'));
    // esbuild's service ends when its input closes: give it a moment, no more.
    for (let i = 0; i < 50 && esbuildChildren().length > 0; i++) await sleep(100);
    expect(esbuildChildren()).toEqual([]);
  });
});

describe('loadConsoleAssets', () => {
  it('serves the page, one script, the style sheet and the icon: nothing else of the build', async () => {
    const assets = await loadConsoleAssets();
    expect([...assets.keys()].sort()).toEqual(['/', '/console/console.css', '/console/favicon.png', '/console/main.js']);
    const script = assets.get('/console/main.js')!.body.toString();
    expect(script).not.toMatch(/^\s*import\b/m);
    expect(script).toContain('function mountUsers');
  });

  it('says how to build the console when it is not built', async () => {
    await expect(loadConsoleAssets(undefined, path.join(tmpdir(), 'no-such-console'))).rejects.toThrow(/not built.*npx tsc -b/);
  });
});
