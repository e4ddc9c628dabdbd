import { ApiKeysService, VerifiedApiKey } from '@aduan/directory';
import type { FastifyRequest } from 'fastify';

/** `POST requests` takes its form from the body and, for some clients, the query string (the body wins). */
export const OPEN311_FILING_ROUTES: ReadonlySet<string> = new Set(['/open311/v2/requests.xml', '/open311/v2/requests.json']);

const verified = new WeakMap<FastifyRequest, { key: string; client: Promise<VerifiedApiKey | null> }>();

/** The `api_key` a filing carries, as the controller reads it; undefined when absent, empty or sent twice. */
export function filingApiKey(request: FastifyRequest): string | undefined {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const body = request.body !== null && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
  const value = { ...query, ...body }.api_key;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The client behind `key`, looked up once per request: the rate limit (which counts a filing per
 * key) and the controller ask about the same key, and intake is a path where a round trip counts.
 */
export function verifyApiKeyOnce(keys: ApiKeysService, request: FastifyRequest, key: string): Promise<VerifiedApiKey | null> {
  const seen = verified.get(request);
  if (seen && seen.key === key) return seen.client;
  const client = keys.verify(key);
  verified.set(request, { key, client });
  return client;
}
