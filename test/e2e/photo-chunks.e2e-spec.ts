import { stripImageMetadata } from '@aduan/complaints';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium } from '../support/browser';
import { CAMERA_MAKE, exifTiff, GPS_LATITUDE_BYTES, pngChunk, pngChunkTypes, riffChunk, webpChunkTypes, webpOf } from '../support/crafted-images';

// Browser globals as the callbacks of page.evaluate see them; the type-check here has no DOM lib.
declare const document: any;
declare const Image: any;

const C2PA = Buffer.concat([Buffer.from(`jumb c2pa ${CAMERA_MAKE}`, 'latin1'), GPS_LATITUDE_BYTES]);

/** The chunks of a RIFF body after its first `skip` bytes. */
function subChunks(data: Buffer, skip = 0): { fourcc: string; data: Buffer }[] {
  const out = [];
  for (let i = skip; i + 8 <= data.length; ) {
    const size = data.readUInt32LE(i + 4);
    out.push({ fourcc: data.toString('latin1', i, i + 4), data: data.subarray(i + 8, i + 8 + size) });
    i += 8 + size + (size % 2);
  }
  return out;
}

/**
 * The allowlist keeps what an image needs to render and nothing else, so what comes out must
 * still be an image: Chromium decodes each stripped photo and finds the pixels it drew, for PNGs
 * with C2PA and private chunks, an extended WebP with alpha whose VP8X flags name chunks that are
 * gone, and an animated WebP with a foreign chunk inside its frame.
 */
describe('stripped photos still decode, in Chromium', () => {
  let context: BrowserContext;
  let page: Page;
  let profile: string;

  beforeAll(async () => {
    requireChromium();
    profile = mkdtempSync(join(tmpdir(), 'aduan-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = context.pages()[0] ?? (await context.newPage());
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** A 16×8 image drawn by Chromium: red on the left, half-transparent blue on the right (WebP: lossless at quality 1). */
  const draw = async (type: 'image/png' | 'image/webp', quality = 0.9): Promise<Buffer> => {
    const url: string = await page.evaluate(([mime, q]: [string, number]) => {
      const canvas = document.createElement('canvas');
      canvas.width = 16;
      canvas.height = 8;
      const g = canvas.getContext('2d');
      g.fillStyle = 'rgb(220, 20, 20)';
      g.fillRect(0, 0, 8, 8);
      g.fillStyle = 'rgba(20, 20, 220, 0.5)';
      g.fillRect(8, 0, 8, 8);
      return canvas.toDataURL(mime, q);
    }, [type, quality] as [string, number]);
    return Buffer.from(url.split(',')[1], 'base64');
  };

  /** Size and the colour of the left half, as Chromium decodes the bytes; null when it cannot. */
  const decode = (bytes: Buffer, type: string) =>
    page.evaluate(async (src: string) => {
      const img = new Image();
      img.src = src;
      try {
        await img.decode();
      } catch {
        return null;
      }
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const g = canvas.getContext('2d');
      g.drawImage(img, 0, 0);
      return { width: img.naturalWidth, height: img.naturalHeight, left: [...g.getImageData(2, 2, 1, 1).data] };
    }, `data:${type};base64,${bytes.toString('base64')}`);

  const expectRed = (decoded: { width: number; height: number; left: number[] } | null, size = { width: 16, height: 8 }) => {
    expect(decoded).toMatchObject(size);
    const [r, g, b, a] = decoded!.left;
    expect(r).toBeGreaterThan(180);
    expect(g + b).toBeLessThan(90);
    expect(a).toBe(255);
  };

  it('a PNG with caBX, eXIf and private chunks; the orientation (turned a quarter) stays', async () => {
    const png = await draw('image/png');
    const ihdrEnd = 8 + 12 + png.readUInt32BE(8);
    const input = Buffer.concat([
      png.subarray(0, ihdrEnd),
      pngChunk('caBX', C2PA),
      pngChunk('eXIf', exifTiff()),
      pngChunk('prVt', Buffer.from(CAMERA_MAKE, 'latin1')),
      png.subarray(ihdrEnd),
    ]);
    const turned = { width: 8, height: 16 };
    expectRed(await decode(input, 'image/png'), turned);
    const out = stripImageMetadata(input, 'image/png');
    expect(out.includes(Buffer.from(CAMERA_MAKE, 'latin1'))).toBe(false);
    expect(out.includes(GPS_LATITUDE_BYTES)).toBe(false);
    expect(pngChunkTypes(out).filter((t) => ['caBX', 'prVt'].includes(t))).toEqual([]);
    expectRed(await decode(out, 'image/png'), turned);
  });

  it('a lossless WebP keeps its colour profile', async () => {
    const webp = await draw('image/webp', 1);
    const chunks = subChunks(webp, 12);
    expect(chunks.map((c) => c.fourcc)).toEqual(['VP8X', 'ICCP', 'VP8L']);
    const input = webpOf(...chunks.map((c) => riffChunk(c.fourcc, c.data)), riffChunk('C2PA', C2PA));
    const out = stripImageMetadata(input, 'image/webp');
    expect(out).toEqual(webp);
    expectRed(await decode(out, 'image/webp'));
  });

  it('an extended WebP with alpha, metadata chunks and VP8X flags for chunks that are gone', async () => {
    const webp = await draw('image/webp');
    expect(subChunks(webp, 12).map((c) => c.fourcc)).toEqual(['VP8X', 'ICCP', 'ALPH', 'VP8 ']);
    const chunks = subChunks(webp, 12).filter((c) => c.fourcc !== 'ICCP');
    const vp8x = Buffer.from(chunks[0].data);
    vp8x[0] |= 0x20 | 0x08 | 0x04; // ICC, EXIF, XMP: none of which will be there
    const input = webpOf(
      riffChunk('VP8X', vp8x),
      riffChunk('C2PA', C2PA),
      ...chunks.slice(1).map((c) => riffChunk(c.fourcc, c.data)),
      riffChunk('EXIF', exifTiff(1)),
      riffChunk('XMP ', Buffer.from(`<x:xmpmeta>${CAMERA_MAKE}</x:xmpmeta>`, 'latin1')),
      riffChunk('abcd', Buffer.from(CAMERA_MAKE, 'latin1')),
    );
    const out = stripImageMetadata(input, 'image/webp');
    expect(webpChunkTypes(out)).toEqual(['VP8X', 'ALPH', 'VP8 ']);
    expect(out[20]).toBe(0x10);
    expect(out.includes(Buffer.from(CAMERA_MAKE, 'latin1'))).toBe(false);
    expectRed(await decode(out, 'image/webp'));
  });

  it('an animated WebP with a foreign chunk inside its frame', async () => {
    const still = subChunks(await draw('image/webp'), 12).filter((c) => c.fourcc !== 'ICCP');
    const vp8x = Buffer.from(still[0].data);
    vp8x[0] = 0x10 | 0x02 | 0x08;
    const size24 = (n: number) => Buffer.from([n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff]);
    const frameHeader = Buffer.concat([size24(0), size24(0), size24(15), size24(7), size24(100), Buffer.from([0])]);
    const frame = riffChunk('ANMF', Buffer.concat([frameHeader, riffChunk('C2PA', C2PA), ...still.slice(1).map((c) => riffChunk(c.fourcc, c.data))]));
    const input = webpOf(riffChunk('VP8X', vp8x), riffChunk('ANIM', Buffer.from([0, 0, 0, 0, 0, 0])), frame, riffChunk('EXIF', exifTiff(1)));
    const out = stripImageMetadata(input, 'image/webp');
    expect(webpChunkTypes(out)).toEqual(['VP8X', 'ANIM', 'ANMF']);
    expect(out[20]).toBe(0x10 | 0x02);
    expect(out.includes(Buffer.from(CAMERA_MAKE, 'latin1'))).toBe(false);
    expectRed(await decode(out, 'image/webp'));
  });
});
