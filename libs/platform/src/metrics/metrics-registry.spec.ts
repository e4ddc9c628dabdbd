import { metricsAuthorized } from './metrics-registry';

describe('metricsAuthorized', () => {
  const token = 'a-metrics-token-of-at-least-32-chars';

  it('takes the configured token as a bearer token only', () => {
    expect(metricsAuthorized(`Bearer ${token}`, token)).toBe(true);
    expect(metricsAuthorized(token, token)).toBe(false);
    expect(metricsAuthorized(`Bearer ${token}x`, token)).toBe(false);
    expect(metricsAuthorized(`Bearer ${token.slice(1)}`, token)).toBe(false);
    expect(metricsAuthorized(undefined, token)).toBe(false);
  });

  it('authorizes nobody when no token is configured', () => {
    expect(metricsAuthorized('Bearer ', undefined)).toBe(false);
    expect(metricsAuthorized('Bearer anything', undefined)).toBe(false);
  });
});
