import { inflateSync } from 'node:zlib';
import { noisyPng, solidPng } from './png';

/** The PNG's chunks, by type. */
function chunks(png: Buffer): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    found.set(png.toString('ascii', at + 4, at + 8), png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  return found;
}

describe('solidPng', () => {
  it('is a PNG of that size whose every pixel has that colour', () => {
    const png = solidPng(2, 1, [1, 2, 3]);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const parts = chunks(png);
    expect(parts.get('IHDR')!.readUInt32BE(0)).toBe(2);
    expect(parts.get('IHDR')!.readUInt32BE(4)).toBe(1);
    expect([...inflateSync(parts.get('IDAT')!)]).toEqual([0, 1, 2, 3, 1, 2, 3]);
    expect(parts.has('IEND')).toBe(true);
  });
});

describe('noisyPng', () => {
  it('does not shrink: a 64x64 one is the size of a photo thumbnail', () => {
    expect(noisyPng(64, 64).length).toBeGreaterThan(12_000);
  });
});
