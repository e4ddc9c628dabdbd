/**
 * Byte-level handling of residents' photos: the type comes from the magic bytes (never the file
 * name or the declared Content-Type), and metadata that can locate or identify a person — EXIF
 * (with its GPS block), XMP, IPTC, comments, text chunks, timestamps — is removed before the
 * bytes are stored. The pixels are not decoded or re-encoded: the image stays as the resident
 * took it, minus the metadata.
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

/** EXIF's Orientation tag (IFD0, 0x0112) when the block is EXIF and well formed; else null. */
export function exifOrientation(payload: Buffer): number | null {
  if (payload.length < 14 || payload.toString('latin1', 0, 6) !== 'Exif\0\0') return null;
  const tiff = payload.subarray(6);
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

/** An APP1 segment holding only EXIF's Orientation: big-endian TIFF, one IFD with one entry. */
function minimalExif(orientation: number): Buffer {
  const segment = Buffer.alloc(2 + 2 + 6 + 8 + 2 + 12 + 4);
  let o = 0;
  o = segment.writeUInt16BE(0xff00 | APP1, o);
  o = segment.writeUInt16BE(segment.length - 2, o);
  o += segment.write('Exif\0\0', o, 'latin1');
  o += segment.write('MM', o, 'latin1');
  o = segment.writeUInt16BE(42, o);
  o = segment.writeUInt32BE(8, o); // IFD0 right after the header
  o = segment.writeUInt16BE(1, o); // one entry
  o = segment.writeUInt16BE(0x0112, o); // Orientation
  o = segment.writeUInt16BE(3, o); // SHORT
  o = segment.writeUInt32BE(1, o); // count
  o = segment.writeUInt16BE(orientation, o);
  o = segment.writeUInt16BE(0, o); // padding of the 4-byte value field
  segment.writeUInt32BE(0, o); // no next IFD
  return segment;
}

// --- PNG ----------------------------------------------------------------------------------

/** Chunks that carry metadata: EXIF, text (tEXt, zTXt, iTXt, where XMP also lives) and the time. */
const PNG_METADATA_CHUNKS = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt', 'tIME']);

function stripPng(b: Buffer): Buffer {
  const out: Buffer[] = [PNG_SIGNATURE];
  let i = PNG_SIGNATURE.length;
  let first = true;
  for (;;) {
    if (i + 12 > b.length) throw new MalformedImage('PNG ends before IEND');
    const length = b.readUInt32BE(i);
    const type = b.toString('latin1', i + 4, i + 8);
    const end = i + 12 + length;
    if (length > 0x7fffffff || end > b.length) throw new MalformedImage('PNG chunk runs past the end');
    if (!/^[A-Za-z]{4}$/.test(type)) throw new MalformedImage('PNG chunk type is not four letters');
    if (first && type !== 'IHDR') throw new MalformedImage('PNG does not start with IHDR');
    first = false;
    if (!PNG_METADATA_CHUNKS.has(type)) out.push(b.subarray(i, end));
    i = end;
    if (type === 'IEND') break;
  }
  return Buffer.concat(out);
}

// --- WebP ---------------------------------------------------------------------------------

const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

/** Drops the EXIF and "XMP " chunks, clears their VP8X flags and rewrites the RIFF size. */
function stripWebp(b: Buffer): Buffer {
  if (b.length < 12) throw new MalformedImage('WebP header is cut off');
  const riffEnd = 8 + b.readUInt32LE(4);
  if (riffEnd > b.length || riffEnd < 12) throw new MalformedImage('WebP RIFF size does not match the file');
  const chunks: Buffer[] = [];
  let i = 12;
  while (i < riffEnd) {
    if (i + 8 > riffEnd) throw new MalformedImage('WebP chunk header is cut off');
    const fourcc = b.toString('latin1', i, i + 4);
    const size = b.readUInt32LE(i + 4);
    const end = i + 8 + size + (size % 2);
    if (end > riffEnd) throw new MalformedImage('WebP chunk runs past the end');
    if (fourcc !== 'EXIF' && fourcc !== 'XMP ') {
      const chunk = Buffer.from(b.subarray(i, end));
      if (fourcc === 'VP8X') {
        if (size < 10) throw new MalformedImage('WebP VP8X chunk is too short');
        chunk[8] &= ~(VP8X_EXIF | VP8X_XMP);
      }
      chunks.push(chunk);
    }
    i = end;
  }
  if (chunks.length === 0) throw new MalformedImage('WebP holds no image');
  const body = Buffer.concat(chunks);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(4 + body.length, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, body]);
}
