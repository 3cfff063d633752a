import { crc32, deflateSync } from 'node:zlib';

/**
 * A real PNG of one colour (8-bit RGB), for the demo, the tests and the benchmarks: browsers and
 * viewers decode it (naturalWidth > 0), unlike bytes that only look like a picture.
 */
export function solidPng(width: number, height: number, colour: [number, number, number]): Buffer {
  return drawPng(width, height, () => colour);
}

/**
 * A PNG of noise, which deflate cannot shrink: a 64x64 one is about 12 KB, the size of a photo
 * thumbnail, not the hundred bytes of a solid one.
 */
export function noisyPng(width: number, height: number, seed = 1): Buffer {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) & 0xff;
  };
  return drawPng(width, height, () => [next(), next(), next()]);
}

/** A PNG whose every pixel `pixel` gives. */
export function drawPng(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, no filter method, no interlace
  // Each row: filter type 0 (none), then its pixels.
  const rows = Array.from({ length: height }, (_, y) => Buffer.from([0, ...Array.from({ length: width }, (_, x) => pixel(x, y)).flat()]));
  const pixels = deflateSync(Buffer.concat(rows));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}
