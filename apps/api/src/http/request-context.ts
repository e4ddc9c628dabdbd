import type { FastifyRequest } from 'fastify';
import type { Language } from '@aduan/complaints';

/** Bahasa Indonesia first; English when the client prefers it. */
export function languageOf(request: FastifyRequest): Language {
  const header = request.headers['accept-language'];
  const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'id';
}
