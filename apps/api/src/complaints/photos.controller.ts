import { AddPhotoCommand, AddPhotoResult, MAX_PHOTO_BYTES, MAX_PHOTOS_PER_COMPLAINT, PhotoReader, PhotoReads, PhotoRejected } from '@aduan/complaints';
import { TokenService } from '@aduan/directory';
import { problem, ProblemException } from '@aduan/platform';
import { Body, Controller, Get, Headers, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticate } from '../auth/auth.guard';

const STATUS: Record<PhotoRejected['reason'], number> = {
  unsupported_type: 415,
  malformed: 415,
  too_large: 413,
  too_many: 413,
  not_found: 404,
  closed: 409,
};

const EXTENSION = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' } as const;

const summarySchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    media_type: { type: 'string', enum: ['image/jpeg', 'image/png', 'image/webp'] },
    size: { type: 'integer' },
    sha256: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
  },
};

/**
 * Residents' photos of a complaint. The upload is the image itself as the request body (not
 * multipart): one photo per request, so each has its own size limit, progress and error.
 */
@ApiTags('residents')
@Controller('api/v1/complaints/:trackingNumber/photos')
export class PhotosController {
  constructor(
    private readonly commands: CommandBus,
    private readonly photos: PhotoReads,
    private readonly tokens: TokenService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Attach a photo (resident, with X-Access-Code)',
    description:
      `The request body is the image's bytes, sent as image/jpeg, image/png, image/webp or application/octet-stream. ` +
      `The type is read from the bytes, not the declared type or a file name: anything but JPEG, PNG or WebP is 415. ` +
      `At most ${MAX_PHOTOS_PER_COMPLAINT} photos per complaint and ${MAX_PHOTO_BYTES / 1024 / 1024} MB each (413). ` +
      `Location and other metadata (EXIF, XMP, IPTC, C2PA, comments, text chunks, private chunks) are removed before the photo is stored: ` +
      `PNG and WebP keep only the chunks needed to render (PNG: IHDR, PLTE, IDAT, IEND, tRNS, gAMA, cHRM, sRGB, iCCP, cICP; WebP: VP8, VP8L, VP8X, ALPH, ANIM, ANMF, ICCP). ` +
      `The orientation is kept. Sending the same image again returns the stored photo with 200. 409 once the complaint is closed or rejected.`,
  })
  @ApiHeader({ name: 'X-Access-Code', required: true })
  @ApiConsumes('image/jpeg', 'image/png', 'image/webp', 'application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 201, description: 'Stored', schema: summarySchema })
  @ApiResponse({ status: 200, description: 'The same image was already attached', schema: summarySchema })
  async add(
    @Param('trackingNumber') trackingNumber: string,
    @Headers('x-access-code') accessCode: string | undefined,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    void reply.header('Cache-Control', 'no-store');
    if (!accessCode) throw ProblemException.unauthorized('Send the access code in the X-Access-Code header.');
    if (!Buffer.isBuffer(body) || body.length === 0) {
      throw new ProblemException(problem(415, 'Send the photo itself as the body, with Content-Type image/jpeg, image/png or image/webp.'));
    }
    let result: AddPhotoResult;
    try {
      result = await this.commands.execute(new AddPhotoCommand(trackingNumber, accessCode, body, request.id));
    } catch (error) {
      if (error instanceof PhotoRejected) throw new ProblemException(problem(STATUS[error.reason], error.message));
      throw error;
    }
    void reply.status(result.existing ? 200 : 201).header('Location', `/api/v1/complaints/${trackingNumber}/photos/${result.photo.id}`);
    return result.photo;
  }

  @Get()
  @ApiOperation({ summary: 'The photos of a complaint: the resident with X-Access-Code, or an official who can see the complaint' })
  @ApiHeader({ name: 'X-Access-Code', required: false })
  @ApiResponse({ status: 200, schema: { type: 'array', items: summarySchema } })
  async list(@Param('trackingNumber') trackingNumber: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('Cache-Control', 'no-store');
    const photos = await this.photos.list(trackingNumber, await this.reader(request));
    if (!photos) throw ProblemException.notFound('No complaint with that tracking number is visible to you.');
    return photos;
  }

  @Get(':photoId')
  @ApiOperation({ summary: 'One photo, as stored (metadata stripped)' })
  @ApiHeader({ name: 'X-Access-Code', required: false })
  @ApiProduces('image/jpeg', 'image/png', 'image/webp')
  async one(
    @Param('trackingNumber') trackingNumber: string,
    @Param('photoId') photoId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const photo = await this.photos.get(trackingNumber, photoId, await this.reader(request));
    if (!photo) throw ProblemException.notFound('No such photo is visible to you.');
    await reply
      .status(200)
      .headers({
        'Content-Type': photo.mediaType,
        'Content-Disposition': `inline; filename="foto-${photoId.slice(0, 8)}.${EXTENSION[photo.mediaType]}"`,
        'Cache-Control': 'private, no-store',
        // The bytes are only ever an image: nothing in them may run or be framed.
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cross-Origin-Resource-Policy': 'same-origin',
        ETag: `"${photo.sha256}"`,
      })
      .send(photo.bytes);
  }

  private async reader(request: FastifyRequest): Promise<PhotoReader> {
    if (request.headers.authorization !== undefined) {
      const principal = await authenticate(this.tokens, request);
      if (!principal) throw ProblemException.unauthorized();
      return { principal };
    }
    const code = request.headers['x-access-code'];
    if (typeof code !== 'string' || code === '') throw ProblemException.unauthorized('Send the access code in the X-Access-Code header.');
    return { accessCode: code };
  }
}
