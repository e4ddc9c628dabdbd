import { inflateSync } from 'node:zlib';
import {
  CAMERA_MAKE,
  COMMENT_MARKER,
  craftedJpeg,
  exifTiff,
  GPS_LATITUDE_BYTES,
  pngChunk,
  pngChunkTypes,
  pngWith,
  pngWithMetadata,
  riffChunk,
  webpChunkTypes,
  webpOf,
  webpWithMetadata,
  XMP_MARKER,
} from '../../../../test/support/crafted-images';
import { exifOrientation, MalformedImage, sniffImageType, stripImageMetadata } from './image-metadata';

/** Every trace of the metadata the crafted images carry. */
function expectNoMetadata(bytes: Buffer): void {
  expect(bytes.includes(GPS_LATITUDE_BYTES)).toBe(false);
  expect(bytes.includes(Buffer.from(CAMERA_MAKE, 'latin1'))).toBe(false);
  expect(bytes.includes(Buffer.from(XMP_MARKER, 'latin1'))).toBe(false);
  expect(bytes.includes(Buffer.from(COMMENT_MARKER, 'latin1'))).toBe(false);
  expect(bytes.includes(Buffer.from('Serang', 'latin1'))).toBe(false);
}

/** The JPEG's markers in order, walking lengths (and skipping the scan's data). */
function jpegMarkers(b: Buffer): string[] {
  const out: string[] = [];
  let i = 2;
  while (i < b.length) {
    const marker = b[i + 1];
    out.push(marker.toString(16));
    if (marker === 0xd9) break;
    i += 2 + b.readUInt16BE(i + 2);
    if (marker === 0xda) {
      while (!(b[i] === 0xff && b[i + 1] !== 0 && b[i + 1] !== 0xff && (b[i + 1] < 0xd0 || b[i + 1] > 0xd7))) i += 1;
    }
  }
  return out;
}

describe('sniffImageType', () => {
  it('reads the type from the magic bytes only', () => {
    expect(sniffImageType(craftedJpeg())).toBe('image/jpeg');
    expect(sniffImageType(pngWithMetadata())).toBe('image/png');
    expect(sniffImageType(webpWithMetadata())).toBe('image/webp');
  });

  it.each([
    ['GIF', Buffer.from('GIF89a\x01\0\x01\0', 'latin1')],
    ['HTML', Buffer.from('<html><img src=x onerror=alert(1)></html>')],
    ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['PDF', Buffer.from('%PDF-1.7\n')],
    ['a RIFF that is not WebP', Buffer.from('RIFF\x04\0\0\0WAVE', 'latin1')],
    ['empty', Buffer.alloc(0)],
    ['two bytes of JPEG', Buffer.from([0xff, 0xd8])],
  ])('refuses %s', (_, bytes) => {
    expect(sniffImageType(bytes)).toBeNull();
  });
});

describe('stripImageMetadata: JPEG', () => {
  it('drops EXIF with its GPS block, XMP, IPTC, comments, MPF and what follows EOI; keeps the image', () => {
    const input = craftedJpeg();
    expect(input.includes(GPS_LATITUDE_BYTES)).toBe(true);
    const out = stripImageMetadata(input, 'image/jpeg');
    expectNoMetadata(out);
    expect(out.includes(Buffer.from('MPF\0', 'latin1'))).toBe(false);
    // APP0, the minimal EXIF orientation block, ICC profile, Adobe, DQT, SOF0, DHT, SOS (its scan), EOI
    expect(jpegMarkers(out)).toEqual(['e0', 'e1', 'e2', 'ee', 'db', 'c0', 'c4', 'da', 'd9']);
    expect(out.includes(Buffer.from('ICC_PROFILE\0', 'latin1'))).toBe(true);
    // The scan, with its stuffed byte and restart marker, is copied unchanged.
    expect(out.includes(Buffer.from([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56]))).toBe(true);
    expect(out.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
  });

  it('keeps the orientation as a minimal EXIF block, and nothing when it is upright', () => {
    const rotated = stripImageMetadata(craftedJpeg(6), 'image/jpeg');
    const app1 = rotated.indexOf(Buffer.from('Exif\0\0', 'latin1'));
    expect(app1).toBeGreaterThan(0);
    const length = rotated.readUInt16BE(app1 - 2);
    expect(exifOrientation(rotated.subarray(app1, app1 - 2 + length))).toBe(6);
    expect(length).toBe(2 + 6 + 8 + 2 + 12 + 4);

    const upright = stripImageMetadata(craftedJpeg(1), 'image/jpeg');
    expect(upright.includes(Buffer.from('Exif', 'latin1'))).toBe(false);
  });

  it('is idempotent', () => {
    const once = stripImageMetadata(craftedJpeg(), 'image/jpeg');
    expect(stripImageMetadata(once, 'image/jpeg')).toEqual(once);
  });

  it('reads little-endian EXIF too', () => {
    const be = exifTiff(8);
    // Swap to little-endian by hand for the one entry the reader needs.
    const le = Buffer.alloc(8 + 2 + 12 + 4);
    le.write('II', 0, 'latin1');
    le.writeUInt16LE(42, 2);
    le.writeUInt32LE(8, 4);
    le.writeUInt16LE(1, 8);
    le.writeUInt16LE(0x0112, 10);
    le.writeUInt16LE(3, 12);
    le.writeUInt32LE(1, 14);
    le.writeUInt16LE(8, 18);
    expect(exifOrientation(Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), le]))).toBe(8);
    expect(exifOrientation(Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), be]))).toBe(8);
    expect(exifOrientation(Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'))).toBeNull();
  });

  it.each([
    ['cut inside a segment', (j: Buffer) => j.subarray(0, 30)],
    ['cut before EOI', (j: Buffer) => j.subarray(0, j.indexOf(Buffer.from([0xff, 0xd9])))],
    ['a segment length past the end', (j: Buffer) => Buffer.concat([j.subarray(0, 2), Buffer.from([0xff, 0xe0, 0xff, 0xff, 0])])],
    ['garbage where a marker belongs', (j: Buffer) => Buffer.concat([j.subarray(0, 2), Buffer.from('hello world')])],
  ])('refuses a JPEG %s', (_, cut) => {
    expect(() => stripImageMetadata(cut(craftedJpeg()), 'image/jpeg')).toThrow(MalformedImage);
  });
});

describe('stripImageMetadata: PNG', () => {
  it('drops eXIf, tEXt, zTXt, iTXt and tIME, keeps the orientation alone, and keeps the pixels', () => {
    const input = pngWithMetadata();
    expect(input.includes(GPS_LATITUDE_BYTES)).toBe(true);
    const out = stripImageMetadata(input, 'image/png');
    expectNoMetadata(out);
    const chunks: { type: string; data: Buffer }[] = [];
    for (let i = 8; i < out.length; ) {
      const length = out.readUInt32BE(i);
      chunks.push({ type: out.toString('latin1', i + 4, i + 8), data: out.subarray(i + 8, i + 8 + length) });
      i += 12 + length;
    }
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'eXIf', 'IDAT', 'IEND']);
    expect(exifOrientation(Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), chunks[1].data]))).toBe(6);
    expect(chunks[1].data.length).toBe(8 + 2 + 12 + 4);
    expect(inflateSync(chunks[2].data)).toEqual(Buffer.from([0, 200, 30, 30, 30, 200, 30, 0, 30, 30, 200, 240, 240, 240]));
    expect(stripImageMetadata(out, 'image/png')).toEqual(out);
  });

  it('keeps only what renders, in order: palette, transparency, colour', () => {
    const kept = ['PLTE', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'cICP'];
    const input = pngWith(...['sBIT', ...kept, 'pHYs', 'bKGD', 'caBX', 'acTL', 'fcTL', 'prVt', 'eXIf'].map((t) => pngChunk(t, t === 'eXIf' ? exifTiff(1) : Buffer.from([1, 2, 3]))));
    expect(pngChunkTypes(stripImageMetadata(input, 'image/png'))).toEqual(['IHDR', ...kept, 'IDAT', 'IEND']);
  });

  it('refuses a critical chunk no decoder knows, and a PNG without image data', () => {
    expect(() => stripImageMetadata(pngWith(pngChunk('ZZZZ', Buffer.alloc(1))), 'image/png')).toThrow(MalformedImage);
    const png = pngWith();
    const idatAt = png.indexOf(Buffer.from('IDAT', 'latin1')) - 4;
    const noIdat = Buffer.concat([png.subarray(0, idatAt), png.subarray(idatAt + 12 + png.readUInt32BE(idatAt))]);
    expect(() => stripImageMetadata(noIdat, 'image/png')).toThrow(MalformedImage);
  });

  it('drops bytes after IEND and refuses a PNG cut short or not starting with IHDR', () => {
    const png = pngWithMetadata();
    expect(stripImageMetadata(Buffer.concat([png, Buffer.from(CAMERA_MAKE)]), 'image/png').includes(Buffer.from(CAMERA_MAKE))).toBe(false);
    expect(() => stripImageMetadata(png.subarray(0, png.length - 12), 'image/png')).toThrow(MalformedImage);
    const noIhdr = Buffer.concat([png.subarray(0, 8), png.subarray(8 + 25)]);
    expect(() => stripImageMetadata(noIhdr, 'image/png')).toThrow(MalformedImage);
  });
});

describe('stripImageMetadata: WebP', () => {
  it('drops EXIF and XMP but for the orientation, sets the VP8X flags to match and fixes the RIFF size', () => {
    const input = webpWithMetadata();
    expect(input.includes(GPS_LATITUDE_BYTES)).toBe(true);
    const out = stripImageMetadata(input, 'image/webp');
    expectNoMetadata(out);
    expect(out.readUInt32LE(4)).toBe(out.length - 8);
    expect(webpChunkTypes(out)).toEqual(['VP8X', 'VP8L', 'EXIF']);
    const exif = out.subarray(out.length - (8 + 2 + 12 + 4));
    expect(exifOrientation(Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exif]))).toBe(6);
    // Alpha as declared, and EXIF for the orientation block; XMP is gone.
    expect(out[20]).toBe(0x10 | 0x08);
    expect(stripImageMetadata(out, 'image/webp')).toEqual(out);
  });

  const vp8l = riffChunk('VP8L', Buffer.from([0x2f, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07]));

  it('sets the ICC and animation flags from the chunks that are there, whatever the header said', () => {
    const claimsAll = riffChunk('VP8X', Buffer.from([0x3e, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    const withoutIcc = stripImageMetadata(webpOf(claimsAll, vp8l), 'image/webp');
    expect(withoutIcc[20]).toBe(0x10);
    const withIcc = stripImageMetadata(webpOf(claimsAll, riffChunk('ICCP', Buffer.from('profile', 'latin1')), vp8l), 'image/webp');
    expect(webpChunkTypes(withIcc)).toEqual(['VP8X', 'ICCP', 'VP8L']);
    expect(withIcc[20]).toBe(0x10 | 0x20);
  });

  it('keeps a simple WebP to its one bitstream, and refuses one without an image', () => {
    const simple = stripImageMetadata(webpOf(vp8l, riffChunk('EXIF', exifTiff()), riffChunk('ICCP', Buffer.from('p', 'latin1'))), 'image/webp');
    expect(webpChunkTypes(simple)).toEqual(['VP8L']);
    expect(() => stripImageMetadata(webpOf(riffChunk('VP8X', Buffer.alloc(10)), riffChunk('EXIF', exifTiff())), 'image/webp')).toThrow(MalformedImage);
    const emptyFrame = riffChunk('ANMF', Buffer.concat([Buffer.alloc(16), riffChunk('XMP ', Buffer.from('x'))]));
    expect(() => stripImageMetadata(webpOf(riffChunk('VP8X', Buffer.from([2, 0, 0, 0, 0, 0, 0, 0, 0, 0])), riffChunk('ANIM', Buffer.alloc(6)), emptyFrame), 'image/webp')).toThrow(MalformedImage);
  });

  it('refuses a RIFF size larger than the file and a chunk running past it', () => {
    const webp = webpWithMetadata();
    const lying = Buffer.from(webp);
    lying.writeUInt32LE(webp.length * 2, 4);
    expect(() => stripImageMetadata(lying, 'image/webp')).toThrow(MalformedImage);
    const chunkTooLong = Buffer.from(webp);
    chunkTooLong.writeUInt32LE(10_000, 16);
    expect(() => stripImageMetadata(chunkTooLong, 'image/webp')).toThrow(MalformedImage);
  });
});
