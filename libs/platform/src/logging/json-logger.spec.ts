import { JsonLogger } from './json-logger';
import { REDACTED, redact, redactText } from './redact';

function capture(level: ConstructorParameters<typeof JsonLogger>[0]) {
  const lines: Record<string, unknown>[] = [];
  return { logger: new JsonLogger(level, (line) => lines.push(JSON.parse(line))), lines };
}

describe('JsonLogger', () => {
  it('writes one JSON object per line, with the context Nest passes last', () => {
    const { logger, lines } = capture('log');
    logger.log('consuming routing', 'Worker');
    logger.log({ msg: 'request', method: 'GET', route: '/health', status: 200 }, 'http');
    expect(lines).toEqual([
      { time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), level: 'log', context: 'Worker', msg: 'consuming routing' },
      { time: expect.any(String), level: 'log', context: 'http', msg: 'request', method: 'GET', route: '/health', status: 200 },
    ]);
  });

  it('honours the level: LOG_LEVEL=warn drops log and debug lines, keeps warnings and errors', () => {
    const { logger, lines } = capture('warn');
    logger.debug('detail');
    logger.log('routine');
    logger.warn('odd');
    logger.error('broken', 'Error: broken\n    at x (y.ts:1:1)', 'Worker');
    expect(lines.map((l) => l.level)).toEqual(['warn', 'error']);
    expect(lines[1]).toMatchObject({ context: 'Worker', msg: 'broken', stack: expect.stringContaining('at x') });
    logger.setLogLevels(['verbose', 'debug', 'log', 'warn', 'error']);
    logger.debug('now shown');
    expect(lines).toHaveLength(3);
  });

  it('redacts what it writes', () => {
    const { logger, lines } = capture('log');
    logger.log({ msg: 'login', password: 'kata sandi rahasia', reporter: { name: 'Siti' } });
    logger.warn('sent Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc to siti@example.id');
    expect(lines[0]).toMatchObject({ password: REDACTED, reporter: REDACTED });
    expect(JSON.stringify(lines)).not.toMatch(/kata sandi|Siti|eyJ|siti@example/);
  });
});

describe('redact', () => {
  it('replaces secret-shaped text and keeps identifiers that only look alike', () => {
    expect(redactText('code FFC0-2KBJ-J6FG wrong')).toBe(`code ${REDACTED} wrong`);
    expect(redactText('key adn_0123456789abcdefABCDEF0123456789')).toBe(`key ${REDACTED}`);
    expect(redactText('call 0812-3456-7890 or +6281234567890')).toBe(`call ${REDACTED} or ${REDACTED}`);
    expect(redactText('PRIVATE+KEY+x+bfe9d625+AYc')).toBe(REDACTED);
    const uuid = '3f1c2a9e-7b4d-4c2e-9a1f-0d2b3c4e5f60';
    expect(redactText(`job ${uuid} ADN-261122-7K3QX9`)).toBe(`job ${uuid} ADN-261122-7K3QX9`);
  });

  it('drops secret fields at any depth and keeps the rest', () => {
    expect(redact({ a: 1, nested: { Authorization: 'x', 'x-access-code': 'y', access_code: 'z', keep: 'ok' }, list: [{ email: 'e' }] })).toEqual({
      a: 1,
      nested: { Authorization: REDACTED, 'x-access-code': REDACTED, access_code: REDACTED, keep: 'ok' },
      list: [{ email: REDACTED }],
    });
  });
});
