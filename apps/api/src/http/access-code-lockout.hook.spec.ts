import { accessCodeAttempt } from './access-code-lockout.hook';

const request = (method: string, url: string, headers: Record<string, string>, trackingNumber: unknown = 'adn-261122-7k3qx9') => ({
  method,
  headers,
  params: { trackingNumber },
  routeOptions: { url },
});

describe('accessCodeAttempt', () => {
  const code = { 'x-access-code': 'FFC0-2KBJ-J6FG' };
  const token = { authorization: 'Bearer x' };

  it.each([
    ['GET', '/api/v1/complaints/:trackingNumber'],
    ['GET', '/api/v1/complaints/:trackingNumber/photos'],
    ['GET', '/api/v1/complaints/:trackingNumber/photos/:photoId'],
    ['POST', '/api/v1/complaints/:trackingNumber/photos'],
    ['POST', '/api/v1/complaints/:trackingNumber/replies'],
    ['POST', '/api/v1/complaints/:trackingNumber/feedback'],
  ])('%s %s with an access code tries it for that complaint', (method, url) => {
    expect(accessCodeAttempt(request(method, url, code))).toBe('ADN-261122-7K3QX9');
  });

  it('counts the resident writes even with a bearer token, but not a GET that takes the official’s way', () => {
    expect(accessCodeAttempt(request('POST', '/api/v1/complaints/:trackingNumber/replies', { ...code, ...token }))).toBe('ADN-261122-7K3QX9');
    expect(accessCodeAttempt(request('GET', '/api/v1/complaints/:trackingNumber', { ...code, ...token }))).toBeNull();
  });

  it('ignores requests without a code, and other routes', () => {
    expect(accessCodeAttempt(request('GET', '/api/v1/complaints/:trackingNumber', {}))).toBeNull();
    expect(accessCodeAttempt(request('POST', '/api/v1/complaints/:trackingNumber/:action', code))).toBeNull();
    expect(accessCodeAttempt(request('POST', '/api/v1/complaints', code))).toBeNull();
    expect(accessCodeAttempt(request('GET', '/api/v1/complaints/:trackingNumber', code, 42))).toBeNull();
  });
});
