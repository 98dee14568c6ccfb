import { negotiate, type MediaType } from './negotiate';

const JSON_XML: readonly MediaType[] = ['application/json', 'application/xml'];
const XML_JSON: readonly MediaType[] = ['application/xml', 'application/json'];
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

describe('negotiate', () => {
  it.each<[string, string | undefined, readonly MediaType[], MediaType | undefined]>([
    ['no Accept → first offered', undefined, JSON_XML, 'application/json'],
    ['an empty Accept → first offered', '', XML_JSON, 'application/xml'],
    ['a blank Accept → first offered', '  ', JSON_XML, 'application/json'],
    ['an exact type', 'application/xml', JSON_XML, 'application/xml'],
    ['a browser Accept prefers xml (q=0.9) over */* (q=0.8)', BROWSER, JSON_XML, 'application/xml'],
    ['the higher q wins', 'application/xml;q=0.9, application/json;q=0.1', JSON_XML, 'application/xml'],
    ['the higher q wins whatever the order', 'application/json;q=0.1, application/xml;q=0.9', JSON_XML, 'application/xml'],
    ['*/* → server preference', '*/*', JSON_XML, 'application/json'],
    ['*/* → server preference (reversed)', '*/*', XML_JSON, 'application/xml'],
    ['application/* → server preference', 'application/*', XML_JSON, 'application/xml'],
    ['a named type beats a wildcard at equal q', 'application/json, */*', XML_JSON, 'application/json'],
    ['q=0 excludes a type that */* would allow', 'application/json;q=0, */*', JSON_XML, 'application/xml'],
    ['q=0 on the only match excludes it', 'application/json;q=0', JSON_XML, undefined],
    ['*/*;q=0 excludes everything not named', 'application/xml, */*;q=0', JSON_XML, 'application/xml'],
    ['the most specific range sets the q', 'application/*;q=0.2, application/json;q=0.5, */*;q=1', JSON_XML, 'application/json'],
    ['text/html only → nothing acceptable', 'text/html', JSON_XML, undefined],
    ['text/* only → nothing acceptable', 'text/*', JSON_XML, undefined],
    ['case-insensitive type and q', 'APPLICATION/XML;Q=1, application/json;q=0.5', JSON_XML, 'application/xml'],
    ['case-insensitive offered', 'application/xml', ['Application/JSON', 'APPLICATION/XML'], 'APPLICATION/XML'],
    ['whitespace everywhere', ' application/json ; q = 0.1 ,  application/xml ; q=0.2 ', JSON_XML, 'application/xml'],
    ['charset is ignored', 'application/json; charset=utf-8', XML_JSON, 'application/json'],
    ['a parameter the offered type lacks → no match', 'application/json;version=2', JSON_XML, undefined],
    ['a matching parameter is more specific', 'application/json;version=2;q=0.9, application/json;q=0.1', ['application/json;version=2', 'application/json'], 'application/json;version=2'],
    ['accept-ext after q is ignored', 'application/xml;q=0.5;level=1', JSON_XML, 'application/xml'],
    ['problem types offered', 'application/problem+xml', ['application/problem+json', 'application/problem+xml'], 'application/problem+xml'],
    ['application/json does not match problem+json', 'application/json', ['application/problem+json'], undefined],
    ['nothing offered', '*/*', [], undefined],
    ['an invalid offered type is skipped', '*/*', ['nonsense', 'application/json'], 'application/json'],
    ['garbage → first offered', 'garbage', JSON_XML, 'application/json'],
    ['only separators → first offered', ';;,,;', XML_JSON, 'application/xml'],
    ['an invalid q drops its range', 'application/xml;q=abc, application/json', JSON_XML, 'application/json'],
    ['q=0. and q=1. are valid', 'application/json;q=0., application/xml;q=1.', JSON_XML, 'application/xml'],
    ['an out-of-range q drops its range', 'application/xml;q=2, application/json;q=0.1', JSON_XML, 'application/json'],
    ['*/json is not a range', '*/json', XML_JSON, 'application/xml'],
    ['garbage around a valid range', '%%%, application/xml, ///', JSON_XML, 'application/xml'],
    ['a huge header does not throw', `${'x/y,'.repeat(100_000)}application/xml`, JSON_XML, undefined],
  ])('%s', (_name, accept, offered, expected) => {
    expect(negotiate(accept, offered)).toBe(expected);
  });

  it('answers the same from its cache', () => {
    const accept = 'application/xml;q=0.9, application/json;q=0.1';
    expect(negotiate(accept, JSON_XML)).toBe('application/xml');
    expect(negotiate(accept, JSON_XML)).toBe('application/xml');
    expect(negotiate(accept, ['application/json'])).toBe('application/json');
  });

  it('keeps working past the cache size', () => {
    for (let i = 0; i < 1000; i++) negotiate(`application/x-${i}, application/json`, JSON_XML);
    expect(negotiate('application/xml', JSON_XML)).toBe('application/xml');
  });
});
