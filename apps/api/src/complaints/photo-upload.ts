import { MAX_PHOTO_BYTES } from '@aduan/complaints';
import { problem, ProblemException } from '@aduan/platform';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** `POST /api/v1/complaints/{tracking_number}/photos`: the one route that takes a raw image body. */
const PHOTO_UPLOAD_PATH = /^\/api\/v1\/complaints\/[^/?#]+\/photos\/?(\?|$)/;

/** Declared types the upload route reads as bytes; what they really are is decided from the bytes. */
const RAW_BODY_TYPES = /^(image\/[a-z0-9.+-]+|application\/octet-stream)\s*(;|$)/i;

export function isPhotoUpload(request: Pick<FastifyRequest, 'method' | 'url'>): boolean {
  return request.method === 'POST' && PHOTO_UPLOAD_PATH.test(request.url);
}

const tooLarge = () => new ProblemException(problem(413, `A photo may be at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB.`));

/**
 * Lets the photo route read its body as a Buffer of at most MAX_PHOTO_BYTES, counted while it
 * streams (a declared Content-Length over the limit is refused before reading). Any other route
 * sent an image or octet-stream body gets 415 without its body being read.
 */
export function registerPhotoUploadParser(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(RAW_BODY_TYPES, async (request: FastifyRequest, payload: NodeJS.ReadableStream) => {
    if (!isPhotoUpload(request)) throw new ProblemException(problem(415, 'Send the request body as application/json.'));
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_PHOTO_BYTES) throw tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of payload) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += bytes.length;
      if (size > MAX_PHOTO_BYTES) throw tooLarge();
      chunks.push(bytes);
    }
    return Buffer.concat(chunks, size);
  });
}
