import { crc32 } from 'node:zlib';

/**
 * Byte-level handling of residents' photos: the type comes from the magic bytes (never the file
 * name or the declared Content-Type), and metadata that can locate or identify a person — EXIF
 * (with its GPS block), XMP, IPTC, C2PA manifests, comments, text chunks, timestamps, vendors'
 * private chunks — is removed before the bytes are stored. PNG and WebP keep an allowlist of the
 * chunks an image needs to render, so a chunk invented tomorrow is dropped too. The pixels are not
 * decoded or re-encoded: the image stays as the resident took it, minus the metadata.
 */

export type PhotoMediaType = 'image/jpeg' | 'image/png' | 'image/webp';

export const PHOTO_MEDIA_TYPES: readonly PhotoMediaType[] = ['image/jpeg', 'image/png', 'image/webp'];

/** The bytes claim to be an image of a supported type but do not hold together as one. */
export class MalformedImage extends Error {
  constructor(reason: string) {
    super(`malformed image: ${reason}`);
    this.name = 'MalformedImage';
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The media type the bytes really are, or null when they are none of JPEG, PNG, WebP. */
export function sniffImageType(bytes: Buffer): PhotoMediaType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/** The image without its metadata; throws MalformedImage when the structure does not parse. */
export function stripImageMetadata(bytes: Buffer, type: PhotoMediaType): Buffer {
  switch (type) {
    case 'image/jpeg':
      return stripJpeg(bytes);
    case 'image/png':
      return stripPng(bytes);
    case 'image/webp':
      return stripWebp(bytes);
  }
}

// --- JPEG ---------------------------------------------------------------------------------

const SOS = 0xda;
const EOI = 0xd9;
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP2 = 0xe2;
const APP14 = 0xee;
const COM = 0xfe;

/** Markers without a length field: TEM and the restart markers RST0–RST7. */
function isStandalone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}

/**
 * Keeps APP0 (JFIF), APP2 only when it is an ICC colour profile, APP14 (Adobe colour transform)
 * and every non-APP segment; drops APP1 (EXIF, XMP), APP13 (IPTC), the other APPn (vendor
 * metadata, MPF) and comments. EXIF's orientation is kept as a minimal EXIF block, so a phone
 * photo is not shown sideways. Whatever follows EOI (thumbnails, MPF secondary images with their
 * own EXIF) is dropped.
 */
function stripJpeg(b: Buffer): Buffer {
  const out: Buffer[] = [b.subarray(0, 2)];
  let orientation: number | null = null;
  let i = 2;
  for (;;) {
    if (i >= b.length) throw new MalformedImage('JPEG ends before its end marker');
    if (b[i] !== 0xff) throw new MalformedImage('JPEG segment does not start with a marker');
    while (i < b.length && b[i] === 0xff) i += 1; // fill bytes
    if (i >= b.length) throw new MalformedImage('JPEG ends inside a marker');
    const marker = b[i];
    const start = i - 1;
    i += 1;
    if (marker === EOI) {
      out.push(Buffer.from([0xff, EOI]));
      break;
    }
    if (isStandalone(marker)) {
      out.push(b.subarray(start, i));
      continue;
    }
    if (marker === 0x00 || marker === 0xd8) throw new MalformedImage('JPEG has a stray marker');
    if (i + 2 > b.length) throw new MalformedImage('JPEG segment length is cut off');
    const length = b.readUInt16BE(i);
    if (length < 2 || i + length > b.length) throw new MalformedImage('JPEG segment runs past the end');
    const end = i + length;
    const payload = b.subarray(i + 2, end);
    i = end;
    if (marker === APP1) {
      orientation ??= exifOrientation(payload);
      continue;
    }
    if (marker === COM || (marker > APP0 && marker <= 0xef && marker !== APP14 && !(marker === APP2 && isIccProfile(payload)))) continue;
    out.push(b.subarray(start, end));
    if (marker === SOS) {
      // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a restart marker.
      let j = i;
      while (j < b.length) {
        if (b[j] === 0xff && j + 1 < b.length) {
          const next = b[j + 1];
          if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7) && next !== 0xff) break;
        }
        j += 1;
      }
      out.push(b.subarray(i, j));
      i = j;
    }
  }
  if (orientation !== null && orientation !== 1) {
    // After SOI and, when present, JFIF's APP0 (which must come first).
    const at = out.length > 1 && out[1][1] === APP0 ? 2 : 1;
    out.splice(at, 0, minimalExif(orientation));
  }
  return Buffer.concat(out);
}

function isIccProfile(payload: Buffer): boolean {
  return payload.toString('latin1', 0, 12) === 'ICC_PROFILE\0';
}

const EXIF_HEADER = Buffer.from('Exif\0\0', 'latin1');

/** EXIF's Orientation tag (IFD0, 0x0112) when the block is EXIF and well formed; else null. */
export function exifOrientation(payload: Buffer): number | null {
  if (payload.length < 14 || !payload.subarray(0, 6).equals(EXIF_HEADER)) return null;
  return tiffOrientation(payload.subarray(6));
}

/** The Orientation tag of a bare TIFF structure (PNG's eXIf, WebP's EXIF); null when absent or malformed. */
function tiffOrientation(tiff: Buffer): number | null {
  if (tiff.length < 8) return null;
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const little = order === 'II';
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  if (u16(2) !== 42) return null;
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return null;
  const count = u16(ifd);
  for (let k = 0; k < count; k += 1) {
    const entry = ifd + 2 + k * 12;
    if (entry + 12 > tiff.length) return null;
    if (u16(entry) === 0x0112 && u16(entry + 2) === 3) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : null;
    }
  }
  return null;
}

/** A TIFF structure holding only EXIF's Orientation: big-endian, one IFD with one entry. */
function orientationTiff(orientation: number): Buffer {
  const tiff = Buffer.alloc(8 + 2 + 12 + 4);
  let o = 0;
  o += tiff.write('MM', o, 'latin1');
  o = tiff.writeUInt16BE(42, o);
  o = tiff.writeUInt32BE(8, o); // IFD0 right after the header
  o = tiff.writeUInt16BE(1, o); // one entry
  o = tiff.writeUInt16BE(0x0112, o); // Orientation
  o = tiff.writeUInt16BE(3, o); // SHORT
  o = tiff.writeUInt32BE(1, o); // count
  o = tiff.writeUInt16BE(orientation, o);
  o = tiff.writeUInt16BE(0, o); // padding of the 4-byte value field
  tiff.writeUInt32BE(0, o); // no next IFD
  return tiff;
}

/** An APP1 segment holding only EXIF's Orientation. */
function minimalExif(orientation: number): Buffer {
  const payload = Buffer.concat([EXIF_HEADER, orientationTiff(orientation)]);
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | APP1, 0);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

// --- PNG ---------------------------------------------------------------------------------

/**
 * What a PNG needs to render: the critical chunks, transparency, and colour (gamma, chromaticities,
 * sRGB, an ICC profile, and cICP, four code points that say how to show an HDR or wide-gamut image
 * and can hold nothing else). Everything else goes: text (tEXt, zTXt, iTXt, where XMP lives),
 * tIME, caBX (C2PA), private chunks, and what is merely advisory (pHYs, bKGD, sBIT, APNG frames, in
 * whose absence the default image shows). eXIf goes too, but its orientation, which browsers
 * apply, is kept in an eXIf of its own (as for JPEG).
 */
const PNG_KEPT_CHUNKS = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'cICP']);

/** A chunk whose name starts with a capital letter is critical: a decoder that does not know it must give up. */
const isCritical = (type: string) => type.charCodeAt(0) < 0x61;

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

function stripPng(b: Buffer): Buffer {
  const out: Buffer[] = [PNG_SIGNATURE];
  let i = PNG_SIGNATURE.length;
  let first = true;
  let pixels = false;
  for (;;) {
    if (i + 12 > b.length) throw new MalformedImage('PNG ends before IEND');
    const length = b.readUInt32BE(i);
    const type = b.toString('latin1', i + 4, i + 8);
    const end = i + 12 + length;
    if (length > 0x7fffffff || end > b.length) throw new MalformedImage('PNG chunk runs past the end');
    if (!/^[A-Za-z]{4}$/.test(type)) throw new MalformedImage('PNG chunk type is not four letters');
    if (first && type !== 'IHDR') throw new MalformedImage('PNG does not start with IHDR');
    first = false;
    if (PNG_KEPT_CHUNKS.has(type)) out.push(b.subarray(i, end));
    else if (type === 'eXIf' && !pixels) {
      const orientation = tiffOrientation(b.subarray(i + 8, i + 8 + length));
      if (orientation !== null && orientation !== 1) out.push(pngChunk('eXIf', orientationTiff(orientation)));
    } else if (isCritical(type)) throw new MalformedImage(`PNG has a critical chunk no decoder knows (${type})`);
    pixels ||= type === 'IDAT';
    i = end;
    if (type === 'IEND') break;
  }
  if (!pixels) throw new MalformedImage('PNG has no image data');
  return Buffer.concat(out);
}

// --- WebP ---------------------------------------------------------------------------------

/**
 * What a WebP needs to render: the bitstreams (VP8, VP8L), alpha, animation, the extended header,
 * and ICCP, the colour profile: phones shoot in wide gamuts (Display P3), whose colours come out
 * wrong without it, and PNG's iCCP and JPEG's ICC segment are kept for the same reason. Gone:
 * EXIF (but for its orientation, kept in an EXIF chunk of its own), XMP, C2PA and any other chunk.
 * An animation frame keeps only its bitstream and alpha.
 */
const WEBP_KEPT_CHUNKS = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH', 'ANIM', 'ANMF', 'ICCP']);
const WEBP_FRAME_CHUNKS = new Set(['ALPH', 'VP8 ', 'VP8L']);
const WEBP_BITSTREAMS = new Set(['VP8 ', 'VP8L']);

const VP8X_ICC = 0x20;
const VP8X_ALPHA = 0x10;
const VP8X_EXIF = 0x08;
const VP8X_ANIMATION = 0x02;
/** Where an ANMF chunk's frame data starts: offsets, size, duration and flags come first. */
const ANMF_HEADER = 16;

interface RiffChunk {
  fourcc: string;
  data: Buffer;
}

/** The chunks of a RIFF body, in order; throws when one runs past the end. */
function riffChunks(b: Buffer, from: number, to: number): RiffChunk[] {
  const chunks: RiffChunk[] = [];
  let i = from;
  while (i < to) {
    if (i + 8 > to) throw new MalformedImage('WebP chunk header is cut off');
    const fourcc = b.toString('latin1', i, i + 4);
    const size = b.readUInt32LE(i + 4);
    const end = i + 8 + size + (size % 2);
    if (i + 8 + size > to) throw new MalformedImage('WebP chunk runs past the end');
    chunks.push({ fourcc, data: b.subarray(i + 8, i + 8 + size) });
    i = Math.min(end, to);
  }
  return chunks;
}

function riffChunk(fourcc: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(fourcc, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

/**
 * Keeps the chunks a WebP needs (WEBP_KEPT_CHUNKS; in the simple format, its one bitstream),
 * filters every animation frame the same way, sets the VP8X flags from what is left (ICC, EXIF
 * and animation as present, alpha as declared, no XMP) and rewrites the sizes.
 */
function stripWebp(b: Buffer): Buffer {
  if (b.length < 12) throw new MalformedImage('WebP header is cut off');
  const riffEnd = 8 + b.readUInt32LE(4);
  if (riffEnd > b.length || riffEnd < 12) throw new MalformedImage('WebP RIFF size does not match the file');
  const chunks = riffChunks(b, 12, riffEnd);
  const extended = chunks[0]?.fourcc === 'VP8X';
  const kept = extended
    ? chunks.filter((c) => WEBP_KEPT_CHUNKS.has(c.fourcc))
    : chunks.filter((c) => WEBP_BITSTREAMS.has(c.fourcc)).slice(0, 1);
  const exif = extended ? chunks.find((c) => c.fourcc === 'EXIF') : undefined;
  // Some writers start the chunk with JPEG's `Exif\0\0`, others with the TIFF header itself.
  const orientation = exif ? tiffOrientation(exif.data.subarray(0, 6).equals(EXIF_HEADER) ? exif.data.subarray(6) : exif.data) : null;
  // The spec puts EXIF after the image data.
  if (orientation !== null && orientation !== 1) kept.push({ fourcc: 'EXIF', data: orientationTiff(orientation) });
  if (!kept.some((c) => WEBP_BITSTREAMS.has(c.fourcc) || c.fourcc === 'ANMF')) throw new MalformedImage('WebP holds no image');
  const out = kept.map((c) => {
    if (c.fourcc === 'VP8X') {
      if (c.data.length < 10) throw new MalformedImage('WebP VP8X chunk is too short');
      const header = Buffer.from(c.data);
      const has = (fourcc: string) => kept.some((k) => k.fourcc === fourcc);
      header[0] = (header[0] & VP8X_ALPHA) | (has('ICCP') ? VP8X_ICC : 0) | (has('EXIF') ? VP8X_EXIF : 0) | (has('ANIM') ? VP8X_ANIMATION : 0);
      return riffChunk('VP8X', header);
    }
    if (c.fourcc === 'ANMF') {
      if (c.data.length < ANMF_HEADER) throw new MalformedImage('WebP animation frame is cut off');
      const frame = riffChunks(c.data, ANMF_HEADER, c.data.length).filter((f) => WEBP_FRAME_CHUNKS.has(f.fourcc));
      if (!frame.some((f) => WEBP_BITSTREAMS.has(f.fourcc))) throw new MalformedImage('WebP animation frame holds no image');
      return riffChunk('ANMF', Buffer.concat([c.data.subarray(0, ANMF_HEADER), ...frame.map((f) => riffChunk(f.fourcc, f.data))]));
    }
    return riffChunk(c.fourcc, c.data);
  });
  const body = Buffer.concat(out);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(4 + body.length, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, body]);
}
