import { ProblemException } from '@aduan/platform';
import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { negotiate, WebAsset, WebAssets } from './web-assets';

/**
 * Only this origin's scripts and styles, no inline code, nothing framed; images from blobs (a
 * resident's own photos, fetched with the access code) and data: (the empty favicon).
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': PAGE_CSP,
  // The access code travels in the URL fragment; no Referer may carry the page's URL anywhere.
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'geolocation=(self), camera=(), microphone=(), payment=(), usb=()',
};

/** The resident's pages: the complaint form at `/` and the tracking page at `/lacak`; and the officials' console at `/console`. */
@ApiExcludeController()
@Controller()
export class WebController {
  private readonly assets = WebAssets.shared();

  @Get()
  form(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.send(request, reply, this.page('index.html'), 'no-cache');
  }

  @Get('lacak')
  track(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.send(request, reply, this.page('lacak.html'), 'no-cache');
  }

  /** The officials' console; it holds no data of its own, every complaint comes from the API with a bearer token. */
  @Get('console')
  console(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.send(request, reply, this.page('console.html'), 'no-cache');
  }

  /** The public response-time figures per office (docs/statistics.md); the figures come from GET /api/v1/statistics. */
  @Get('statistik')
  statistik(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.send(request, reply, this.page('statistik.html'), 'no-cache');
  }

  /** The Inspektorat's workspace: trails, integrity views, the triage queue, verify; signed in like the console. */
  @Get('oversight')
  oversight(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.send(request, reply, this.page('oversight.html'), 'no-cache');
  }

  /** Scripts and the stylesheet; a request naming the current version may be cached for good. */
  @Get('assets/:name')
  asset(@Param('name') name: string, @Query('v') version: string | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const asset = name.endsWith('.html') ? undefined : this.assets.get(name);
    if (!asset) throw ProblemException.notFound();
    return this.send(request, reply, asset, version === asset.version ? 'public, max-age=31536000, immutable' : 'no-cache');
  }

  private page(name: string): WebAsset {
    const page = this.assets.get(name);
    if (!page) throw ProblemException.notFound();
    return page;
  }

  private async send(request: FastifyRequest, reply: FastifyReply, asset: WebAsset, cacheControl: string): Promise<void> {
    void reply.headers({ ...PAGE_HEADERS, 'Cache-Control': cacheControl, ETag: asset.etag, Vary: 'Accept-Encoding' });
    const match = request.headers['if-none-match'];
    if (typeof match === 'string' && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === asset.etag)) {
      await reply.status(304).send();
      return;
    }
    const { body, encoding } = negotiate(asset, request.headers['accept-encoding']);
    if (encoding) void reply.header('Content-Encoding', encoding);
    await reply.status(200).type(asset.type).send(body);
  }
}
