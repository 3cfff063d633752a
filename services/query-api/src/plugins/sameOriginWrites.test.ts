import { crossSiteWrite } from './sameOriginWrites';

describe('crossSiteWrite', () => {
  it('lets the console, on the same origin, change things', () => {
    expect(crossSiteWrite({ 'sec-fetch-site': 'same-origin', origin: 'http://127.0.0.1:8080', host: '127.0.0.1:8080' })).toBeNull();
  });

  it('lets clients that are not browsers through (they send neither header)', () => {
    expect(crossSiteWrite({ host: '127.0.0.1:8080' })).toBeNull();
  });

  it('lets a request the user typed or bookmarked through', () => {
    expect(crossSiteWrite({ 'sec-fetch-site': 'none', host: 'api' })).toBeNull();
  });

  it.each(['cross-site', 'same-site'])('refuses a request another site made the browser send (Sec-Fetch-Site: %s)', (site) => {
    expect(crossSiteWrite({ 'sec-fetch-site': site, host: 'api' })).toMatch(/another site/);
  });

  it('refuses an Origin that is not this server, as older browsers say it', () => {
    expect(crossSiteWrite({ origin: 'http://evil.example', host: '127.0.0.1:8080' })).toMatch(/another origin/);
    expect(crossSiteWrite({ origin: 'null', host: '127.0.0.1:8080' })).toMatch(/another origin/);
  });
});
