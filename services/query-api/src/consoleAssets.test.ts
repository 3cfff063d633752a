import { withModulePreloads } from './consoleAssets';

describe('withModulePreloads', () => {
  it('puts a preload link for each module where the page marks it', () => {
    const page = '<head>\n  <script type="module" src="/console/main.js"></script>\n  <!-- modulepreload: here -->\n</head>';
    expect(withModulePreloads(page, ['dom.js', 'links.js'])).toBe(
      '<head>\n  <script type="module" src="/console/main.js"></script>\n  <link rel="modulepreload" href="/console/dom.js">\n  <link rel="modulepreload" href="/console/links.js">\n</head>',
    );
  });

  it('refuses a page without the marker, rather than serve one that loads slowly unnoticed', () => {
    expect(() => withModulePreloads('<head></head>', ['dom.js'])).toThrow(/marker/);
  });
});
