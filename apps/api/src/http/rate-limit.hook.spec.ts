import { bucketFor } from './rate-limit.hook';

describe('bucketFor', () => {
  it.each([
    ['POST', '/api/v1/complaints', 'submit'],
    ['POST', '/open311/v2/requests.json', 'submit'],
    ['POST', '/open311/v2/requests.:format', 'submit'],
    ['POST', '/api/v1/auth/login', 'login'],
    ['POST', '/api/v1/complaints/:trackingNumber/replies', 'write'],
    ['POST', '/api/v1/complaints/:trackingNumber/feedback', 'write'],
    ['POST', '/api/v1/complaints/:trackingNumber/photos', 'write'],
    ['PUT', '/api/v1/admin/sla/:category', 'write'],
    ['DELETE', '/anything', 'write'],
    ['POST', '/api/v1/complaints/', 'write'],
    ['GET', '/api/v1/complaints/:trackingNumber', 'read'],
    ['GET', '/api/v1/categories', 'read'],
    ['GET', '/', 'read'],
    ['GET', '/lacak', 'read'],
    ['HEAD', '/lacak', 'read'],
    ['OPTIONS', '/api/v1/complaints', 'read'],
    ['GET', '/open311/v2/services.xml', 'read'],
    ['GET', '/no/such/page', 'read'],
  ])('%s %s → %s', (method, route, bucket) => {
    expect(bucketFor(method, route)).toBe(bucket);
  });

  it('leaves health checks and metrics scrapes alone', () => {
    expect(bucketFor('GET', '/health')).toBeNull();
    expect(bucketFor('GET', '/health/ready')).toBeNull();
    expect(bucketFor('GET', '/metrics')).toBeNull();
  });
});
