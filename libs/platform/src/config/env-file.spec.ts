import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh copy of the module: it reads the file once per process. */
async function freshLoader(): Promise<typeof import('./env-file').loadEnvFile> {
  let loader!: typeof import('./env-file').loadEnvFile;
  await jest.isolateModulesAsync(async () => {
    loader = (await import('./env-file')).loadEnvFile;
  });
  return loader;
}

describe('loadEnvFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aduan-env-'));
  const file = join(dir, '.env');
  writeFileSync(file, '# a comment\nPORT=3000\nREDIS_URL="redis://127.0.0.1:6379"\nSMTP_HOST=mail.example.id\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fills what the environment lacks, once; the environment wins', async () => {
    const load = await freshLoader();
    const env: NodeJS.ProcessEnv = { NODE_ENV: 'production', ENV_FILE: file, PORT: '4000' };
    expect(load(env)).toBe(file);
    expect(env).toMatchObject({ PORT: '4000', REDIS_URL: 'redis://127.0.0.1:6379', SMTP_HOST: 'mail.example.id' });
    env.SMTP_HOST = 'changed';
    load(env);
    expect(env.SMTP_HOST).toBe('changed');
  });

  it('never reads it under tests', async () => {
    const env: NodeJS.ProcessEnv = { NODE_ENV: 'test', ENV_FILE: file };
    expect((await freshLoader())(env)).toBeNull();
    expect(env.SMTP_HOST).toBeUndefined();
  });

  it('refuses an ENV_FILE that is not there', async () => {
    const load = await freshLoader();
    expect(() => load({ NODE_ENV: 'production', ENV_FILE: join(dir, 'missing.env') })).toThrow(/does not exist/);
  });
});
