import { stripImageMetadata } from '@aduan/complaints';
import { CAMERA_MAKE, GPS_LATITUDE_BYTES, pngChunk, pngChunkTypes, pngWith, riffChunk, webpChunkTypes, webpOf } from '../support/crafted-images';

/** What a C2PA manifest can say about who took a photo and where. */
const C2PA = Buffer.concat([Buffer.from('jumb c2pa stds.exif ', 'latin1'), Buffer.from(CAMERA_MAKE, 'latin1'), GPS_LATITUDE_BYTES]);
const PRIVATE = Buffer.from(`vendor-data ${CAMERA_MAKE}`, 'latin1');

function expectClean(bytes: Buffer): void {
  expect(bytes.includes(Buffer.from(CAMERA_MAKE, 'latin1'))).toBe(false);
  expect(bytes.includes(GPS_LATITUDE_BYTES)).toBe(false);
}

/**
 * Found by an attack on a running instance: the stripper dropped a list of known metadata chunks
 * and kept everything else, so a PNG's `caBX` (a C2PA manifest, which can hold the creator and the
 * location), private chunks and any chunk invented tomorrow reached storage. PNG and WebP now keep
 * only the chunks an image needs to render.
 */
describe('photos keep only the chunks needed to render', () => {
  it('drops caBX, private and unknown ancillary PNG chunks', () => {
    const input = pngWith(
      pngChunk('gAMA', Buffer.from([0, 0, 0xb1, 0x8f])),
      pngChunk('caBX', C2PA),
      pngChunk('prVt', PRIVATE),
      pngChunk('vpAg', PRIVATE),
      pngChunk('sTER', Buffer.from([0])),
      pngChunk('pHYs', Buffer.from([0, 0, 0x0b, 0x13, 0, 0, 0x0b, 0x13, 1])),
    );
    const out = stripImageMetadata(input, 'image/png');
    expectClean(out);
    expect(pngChunkTypes(out)).toEqual(['IHDR', 'gAMA', 'IDAT', 'IEND']);
  });

  it('drops unknown and private WebP chunks, at the top level and inside animation frames', () => {
    const vp8l = riffChunk('VP8L', Buffer.from([0x2f, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07]));
    const frame = riffChunk('ANMF', Buffer.concat([Buffer.alloc(16), riffChunk('C2PA', C2PA), vp8l]));
    const input = webpOf(
      riffChunk('VP8X', Buffer.from([0x02 | 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0])),
      riffChunk('ANIM', Buffer.alloc(6)),
      frame,
      riffChunk('C2PA', C2PA),
      riffChunk('xyzw', PRIVATE),
    );
    const out = stripImageMetadata(input, 'image/webp');
    expectClean(out);
    expect(webpChunkTypes(out)).toEqual(['VP8X', 'ANIM', 'ANMF']);
    expect(out.readUInt32LE(4)).toBe(out.length - 8);
  });
});
