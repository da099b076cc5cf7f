import { describe, expect, it } from 'vitest';
import { goDurationMs, jaegerTraceId, searchTags } from './params';

describe("Jaeger's query-string conventions", () => {
  it.each([
    ['1.2s', 1200],
    ['100ms', 100],
    ['500us', 0.5],
    ['250µs', 0.25],
    ['1h30m', 5_400_000],
    ['1m0.5s', 60_500],
    ['1500ns', 0.0015],
    ['0', 0],
  ])('reads the Go duration %s as %f ms', (text, ms) => {
    expect(goDurationMs(text, 'minDuration')).toBeCloseTo(ms, 9);
  });

  it.each(['', 'fast', '5', '1.2', 's', '1s fast', '-1s'])('refuses %j as a duration, naming the parameter', (text) => {
    expect(() => goDurationMs(text, 'maxDuration')).toThrow(/^maxDuration: .* is not a duration/);
  });

  it('reads tags as JSON, as logfmt (quoted values too), as key:value pairs and as repeated tag parameters', () => {
    const tags = (query: string) => searchTags(new URLSearchParams(query));
    expect(tags(`tags=${encodeURIComponent('{"http.status_code":200,"error":true,"user":"ann"}')}`)).toEqual([
      { key: 'http.status_code', value: '200' },
      { key: 'error', value: 'true' },
      { key: 'user', value: 'ann' },
    ]);
    expect(tags(`tags=${encodeURIComponent('http.status_code=200  note="a \\"quoted\\" value" http.url:http://x/y?a=b')}`)).toEqual([
      { key: 'http.status_code', value: '200' },
      { key: 'note', value: 'a "quoted" value' },
      { key: 'http.url', value: 'http://x/y?a=b' },
    ]);
    expect(tags('tag=a:1&tag=b:2')).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ]);
    expect(tags('tags=')).toEqual([]);
  });

  it('refuses tags that are neither JSON objects nor pairs', () => {
    expect(() => searchTags(new URLSearchParams('tags=[1,2]'))).toThrow(/tags: must be a JSON object/);
    expect(() => searchTags(new URLSearchParams(`tags=${encodeURIComponent('{"a":{"b":1}}')}`))).toThrow(/the value of a must be a string/);
    expect(() => searchTags(new URLSearchParams('tags=novalue'))).toThrow(/tags: .* must be key=value pairs/);
  });

  it('pads a 64-bit trace id to 32 digits and lower-cases it, as Jaeger reads ids', () => {
    expect(jaegerTraceId('ABCDEF0123456789')).toBe('0000000000000000abcdef0123456789');
    expect(() => jaegerTraceId('xyz')).toThrow(/traceID: "xyz" must be 1 to 32 hexadecimal digits/);
  });
});
