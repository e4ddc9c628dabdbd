import { deflateSync } from 'node:zlib';

/**
 * Small images built byte by byte, carrying the metadata a phone writes (EXIF with a GPS block,
 * XMP, IPTC, comments, text chunks), for the tests of the metadata strippers and the uploads.
 */

/** Bytes that only the GPS block contains: the latitude 6°7'12.3456" as three RATIONALs. */
export const GPS_LATITUDE_BYTES = Buffer.from([0, 0, 0, 6, 0, 0, 0, 1, 0, 0, 0, 7, 0, 0, 0, 1, 0, 1, 0xe2, 0x40, 0, 0, 0x27, 0x10]);
/** A camera make, so a test can see that all of IFD0 went, not only the GPS block. */
export const CAMERA_MAKE = 'GPS-TEST-PHONE';
export const XMP_MARKER = 'exif:GPSLatitude="6,7.2057S"';
export const COMMENT_MARKER = 'rahasia-komentar';

/** A TIFF structure (big-endian) with IFD0 {Make, Orientation, GPSInfo} and a GPS IFD. */
export function exifTiff(orientation = 6): Buffer {
  const make = Buffer.from(`${CAMERA_MAKE}\0`, 'latin1');
  // Layout: header 8 | IFD0 (2 + 3*12 + 4 = 42) | GPS IFD (2 + 4*12 + 4 = 54) | make | latitude | longitude
  const ifd0 = 8;
  const gpsIfd = ifd0 + 42;
  const makeAt = gpsIfd + 54;
  const latAt = makeAt + make.length;
  const longAt = latAt + 24;
  const t = Buffer.alloc(longAt + 24);
  t.write('MM', 0, 'latin1');
  t.writeUInt16BE(42, 2);
  t.writeUInt32BE(ifd0, 4);
  const entry = (at: number, tag: number, type: number, count: number, value: (b: Buffer, o: number) => void) => {
    t.writeUInt16BE(tag, at);
    t.writeUInt16BE(type, at + 2);
    t.writeUInt32BE(count, at + 4);
    value(t, at + 8);
  };
  t.writeUInt16BE(3, ifd0);
  entry(ifd0 + 2, 0x010f, 2, make.length, (b, o) => b.writeUInt32BE(makeAt, o));
  entry(ifd0 + 14, 0x0112, 3, 1, (b, o) => b.writeUInt16BE(orientation, o));
  entry(ifd0 + 26, 0x8825, 4, 1, (b, o) => b.writeUInt32BE(gpsIfd, o));
  t.writeUInt32BE(0, ifd0 + 38);
  t.writeUInt16BE(4, gpsIfd);
  entry(gpsIfd + 2, 0x0001, 2, 2, (b, o) => b.write('S\0', o, 'latin1'));
  entry(gpsIfd + 14, 0x0002, 5, 3, (b, o) => b.writeUInt32BE(latAt, o));
  entry(gpsIfd + 26, 0x0003, 2, 2, (b, o) => b.write('E\0', o, 'latin1'));
  entry(gpsIfd + 38, 0x0004, 5, 3, (b, o) => b.writeUInt32BE(longAt, o));
  t.writeUInt32BE(0, gpsIfd + 50);
  make.copy(t, makeAt);
  GPS_LATITUDE_BYTES.copy(t, latAt);
  Buffer.from([0, 0, 0, 106, 0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0, 1, 0, 0, 0, 30, 0, 0, 0, 1]).copy(t, longAt);
  return t;
}

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** The metadata segments a phone JPEG carries: EXIF (with GPS), XMP, IPTC and a comment. */
export function jpegMetadataSegments(orientation = 6): Buffer {
  return Buffer.concat([
    segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exifTiff(orientation)])),
    segment(0xe1, Buffer.from(`http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:Description ${XMP_MARKER}/></x:xmpmeta>`, 'latin1')),
    segment(0xed, Buffer.from('Photoshop 3.0\x008BIM\x04\x04\0\0\0\0\0\x0c\x1c\x02\x5a\0\x06Serang', 'latin1')),
    segment(0xfe, Buffer.from(COMMENT_MARKER, 'latin1')),
  ]);
}

/** Inserts the metadata segments into a real JPEG, right after SOI (and JFIF's APP0 if present). */
export function withJpegMetadata(jpeg: Buffer, orientation = 6): Buffer {
  let at = 2;
  if (jpeg[2] === 0xff && jpeg[3] === 0xe0) at = 4 + jpeg.readUInt16BE(4);
  return Buffer.concat([jpeg.subarray(0, at), jpegMetadataSegments(orientation), jpeg.subarray(at)]);
}

/**
 * A JPEG-shaped stream (not decodable: the tables and scan are filler) with every kind of
 * segment the stripper must keep or drop, restart markers and stuffed bytes inside the scan,
 * and bytes after EOI.
 */
export function craftedJpeg(orientation = 6): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    jpegMetadataSegments(orientation),
    segment(0xe2, Buffer.from('ICC_PROFILE\0\x01\x01fake-profile', 'latin1')),
    segment(0xe2, Buffer.from('MPF\0II*\0', 'latin1')),
    segment(0xee, Buffer.from('Adobe\0\x64\0\0\0\0\x01', 'latin1')),
    segment(0xdb, Buffer.alloc(65, 1)),
    segment(0xc0, Buffer.from([8, 0, 1, 0, 1, 1, 1, 0x11, 0])),
    segment(0xc4, Buffer.alloc(20, 2)),
    segment(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])),
    Buffer.from([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xff, 0xd9]),
    Buffer.from(`trailer ${CAMERA_MAKE}`, 'latin1'),
  ]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/** A real 2×2 RGB PNG (decodable), with eXIf (GPS), tEXt, zTXt, iTXt (XMP) and tIME chunks. */
export function pngWithMetadata(): Buffer {
  const ihdr = Buffer.from([0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0]);
  const rows = Buffer.from([0, 200, 30, 30, 30, 200, 30, 0, 30, 30, 200, 240, 240, 240]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('eXIf', exifTiff()),
    pngChunk('tEXt', Buffer.from(`Comment\0${COMMENT_MARKER}`, 'latin1')),
    pngChunk('zTXt', Buffer.concat([Buffer.from('Author\0\0', 'latin1'), deflateSync(CAMERA_MAKE)])),
    pngChunk('iTXt', Buffer.from(`XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta ${XMP_MARKER}/>`, 'latin1')),
    pngChunk('tIME', Buffer.from([0x07, 0xea, 11, 22, 9, 30, 0])),
    pngChunk('IDAT', deflateSync(rows)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export function riffChunk(fourcc: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(fourcc, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

/**
 * An extended WebP (VP8X with the EXIF and XMP flags set) whose bitstream chunk is filler of
 * odd length (to exercise the padding), with EXIF (GPS) and XMP chunks.
 */
export function webpWithMetadata(): Buffer {
  const vp8x = Buffer.from([0x08 | 0x04 | 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const body = Buffer.concat([
    riffChunk('VP8X', vp8x),
    riffChunk('VP8L', Buffer.from([0x2f, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07])),
    riffChunk('EXIF', exifTiff()),
    riffChunk('XMP ', Buffer.from(`<x:xmpmeta ${XMP_MARKER}/>`, 'latin1')),
  ]);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(4 + body.length, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, body]);
}

/** The 2×2 PNG's own chunks (IHDR, IDAT, IEND), with `extra` chunks right after IHDR. */
export function pngWith(...extra: Buffer[]): Buffer {
  const ihdr = Buffer.from([0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0]);
  const rows = Buffer.from([0, 200, 30, 30, 30, 200, 30, 0, 30, 30, 200, 240, 240, 240]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    ...extra,
    pngChunk('IDAT', deflateSync(rows)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A RIFF WebP of the given chunks, with its size field right. */
export function webpOf(...chunks: Buffer[]): Buffer {
  const body = Buffer.concat(chunks);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(4 + body.length, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, body]);
}

/** The chunk names of a PNG, in order. */
export function pngChunkTypes(png: Buffer): string[] {
  const types: string[] = [];
  for (let i = 8; i + 8 <= png.length; i += 12 + png.readUInt32BE(i)) types.push(png.toString('latin1', i + 4, i + 8));
  return types;
}

/** The top-level chunk names of a WebP, in order. */
export function webpChunkTypes(webp: Buffer): string[] {
  const types: string[] = [];
  for (let i = 12; i + 8 <= webp.length; ) {
    const size = webp.readUInt32LE(i + 4);
    types.push(webp.toString('latin1', i, i + 4));
    i += 8 + size + (size % 2);
  }
  return types;
}
