/**
 * Static checks of docker/compose.yaml and docker/Dockerfile. Needs no Docker
 * engine, PostgreSQL or Redis. If the `docker compose` client plugin is
 * installed, `docker compose config` also validates the file (it does not need
 * a running engine).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const COMPOSE_FILE = join(ROOT, 'docker', 'compose.yaml');
const DOCKERFILE = join(ROOT, 'docker', 'Dockerfile');

const APP_SERVICES = ['migrate', 'seed', 'api', 'worker'] as const;
const SECRETS = ['AUTH_TOKEN_SECRET', 'PRIVACY_KEY', 'ACCESS_CODE_SECRET', 'ADMIN_PASSWORD'] as const;
/** Secrets only some services get (least privilege): the database roles' passwords and the audit keys. */
const SERVICE_SECRETS = ['DB_APP_PASSWORD', 'DB_OWNER_PASSWORD', 'AUDIT_SIGNING_KEY', 'AUDIT_VERIFIER_KEY'] as const;

type Dict = Record<string, unknown>;

/**
 * Prefers the `yaml` package and falls back to `js-yaml`. Both are transitive
 * dependencies, not declared ones, so resolve them at run time.
 */
function parseYaml(text: string): unknown {
  const load = createRequire(__filename);
  const tryResolve = (name: string): string | undefined => {
    try {
      return load.resolve(name);
    } catch {
      return undefined;
    }
  };
  const yamlPath = tryResolve('yaml');
  if (yamlPath) {
    const yaml = load(yamlPath) as { parse: (src: string, opts?: Dict) => unknown };
    return yaml.parse(text, { merge: true });
  }
  const jsYamlPath = tryResolve('js-yaml');
  if (jsYamlPath) {
    const jsYaml = load(jsYamlPath) as { load: (src: string) => unknown };
    return jsYaml.load(text);
  }
  throw new Error('Neither `yaml` nor `js-yaml` is installed; cannot parse docker/compose.yaml');
}

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Resolves YAML 1.1 merge keys (`<<: *anchor`), which Compose supports, whatever the parser did. */
function resolveMerges(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolveMerges);
  if (!isDict(value)) return value;
  const out: Dict = {};
  if ('<<' in value) {
    const sources = Array.isArray(value['<<']) ? value['<<'] : [value['<<']];
    for (const source of sources) {
      const resolved = resolveMerges(source);
      if (isDict(resolved)) Object.assign(out, resolved);
    }
  }
  for (const [key, child] of Object.entries(value)) {
    if (key !== '<<') out[key] = resolveMerges(child);
  }
  return out;
}

function dict(value: unknown, what: string): Dict {
  if (!isDict(value)) throw new Error(`${what} is not a mapping`);
  return value;
}

/** `environment` may be a mapping or a list of KEY=VALUE strings. */
function envOf(service: Dict): Record<string, string> {
  const env = service.environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const text = String(entry);
        const eq = text.indexOf('=');
        return eq < 0 ? [text, ''] : [text.slice(0, eq), text.slice(eq + 1)];
      }),
    );
  }
  if (isDict(env)) {
    return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
  }
  return {};
}

function commandText(command: unknown): string {
  return Array.isArray(command) ? command.map(String).join(' ') : String(command ?? '');
}

function dependsOn(service: Dict): Dict {
  const deps = service.depends_on;
  if (Array.isArray(deps)) {
    return Object.fromEntries(deps.map((name) => [String(name), { condition: 'service_started' }]));
  }
  return isDict(deps) ? deps : {};
}

function conditionOf(service: Dict, dependency: string): unknown {
  const entry = dependsOn(service)[dependency];
  return isDict(entry) ? entry.condition : undefined;
}

interface DockerStage {
  from: string;
  instructions: { keyword: string; args: string }[];
}

/** Splits a Dockerfile into stages, joining `\` continuations and dropping comments. */
function parseDockerfile(text: string): DockerStage[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && current === '')) continue;
    if (line.endsWith('\\')) {
      current += line.slice(0, -1) + ' ';
      continue;
    }
    current += line;
    if (current.trim() !== '') logical.push(current.trim());
    current = '';
  }
  if (current.trim() !== '') logical.push(current.trim());

  const stages: DockerStage[] = [];
  for (const line of logical) {
    const match = /^(\S+)\s*(.*)$/.exec(line);
    if (!match) continue;
    const keyword = match[1].toUpperCase();
    const args = match[2].trim();
    if (keyword === 'FROM') {
      stages.push({ from: args, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push({ keyword, args });
    }
  }
  return stages;
}

/** Exec form (`["node"]`) or shell form (`node`) of ENTRYPOINT/CMD, as an argv. */
function execForm(args: string): string[] {
  if (args.startsWith('[')) return (JSON.parse(args) as unknown[]).map(String);
  return args.split(/\s+/).filter(Boolean);
}

/** Valid-looking values for every variable compose requires. */
function requiredEnv(names: Iterable<string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of names) {
    env[name] =
      name === 'PRIVACY_KEY'
        ? Buffer.alloc(32, 7).toString('base64')
        : 'compose-config-test-value-at-least-32-characters-long';
  }
  return env;
}

const hasCompose = (() => {
  try {
    const result = spawnSync('docker', ['compose', 'version'], { stdio: 'ignore', timeout: 20_000 });
    return result.status === 0;
  } catch {
    return false;
  }
})();
const itIfCompose = hasCompose ? it : it.skip;
const composeSuffix = hasCompose
  ? ''
  : ' [skipped: `docker compose version` does not work on this machine]';

describe('docker/compose.yaml and docker/Dockerfile', () => {
  const composeText = readFileSync(COMPOSE_FILE, 'utf8');
  const compose = dict(resolveMerges(parseYaml(composeText)), 'compose.yaml');
  const services = dict(compose.services, 'services');
  const service = (name: string): Dict => dict(services[name], `services.${name}`);

  /** Every variable written as ${NAME:?message} or ${NAME?message}. */
  const requiredVars = new Set(
    [...composeText.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):?\?[^}]*\}/g)].map((m) => m[1]),
  );

  it('defines postgres, redis, setup-db, migrate, seed, api and worker', () => {
    for (const name of ['postgres', 'redis', 'setup-db', ...APP_SERVICES]) {
      expect(services).toHaveProperty(name);
    }
  });

  it('runs redis with AOF and noeviction', () => {
    const command = commandText(service('redis').command);
    expect(command).toMatch(/--appendonly\s+yes\b/);
    expect(command).toMatch(/--maxmemory-policy\s+noeviction\b/);
    expect(service('redis').healthcheck).toBeDefined();
    expect(service('postgres').healthcheck).toBeDefined();
    expect(envOf(service('postgres')).POSTGRES_DB).toBe('aduan');
  });

  it('builds one image for every app role, from the repo root', () => {
    const api = service('api');
    expect(api.image ?? api.build).toBeDefined();
    for (const name of [...APP_SERVICES, 'setup-db']) {
      expect({ name, build: service(name).build, image: service(name).image }).toEqual({
        name,
        build: api.build,
        image: api.image,
      });
    }
    const build = api.build;
    if (isDict(build)) {
      expect(build.context).toBe('..');
      expect(build.dockerfile).toBe('docker/Dockerfile');
    }
  });

  it('picks the role with the command', () => {
    expect(commandText(service('api').command)).toBe('dist/apps/api/src/main.js');
    expect(commandText(service('worker').command)).toBe('dist/apps/worker/src/main.js');
    expect(commandText(service('migrate').command)).toBe('dist/apps/cli/src/main.js migrate');
    expect(commandText(service('seed').command)).toBe('dist/apps/cli/src/main.js seed');
    expect(commandText(service('setup-db').command)).toBe('dist/apps/cli/src/main.js setup-db');
    expect(envOf(service('worker')).WORKER_QUEUES).toMatch(/all/);
  });

  it('scales the worker (WORKER_REPLICAS, two unless set) and the api (API_REPLICAS, one unless set)', () => {
    expect(String(dict(service('worker').deploy, 'worker.deploy').replicas)).toBe('${WORKER_REPLICAS:-2}');
    // The api scales the same way; its host port is a range then (one port per replica).
    expect(String(dict(service('api').deploy, 'api.deploy').replicas)).toBe('${API_REPLICAS:-1}');
    expect(service('api').ports).toEqual(['${API_PORT:-3000}:3000']);
  });

  it('starts the api only after migrate and seed completed and the stores are healthy', () => {
    const api = service('api');
    expect(conditionOf(api, 'migrate')).toBe('service_completed_successfully');
    expect(conditionOf(api, 'seed')).toBe('service_completed_successfully');
    expect(conditionOf(api, 'postgres')).toBe('service_healthy');
    expect(conditionOf(api, 'redis')).toBe('service_healthy');
    expect(conditionOf(service('seed'), 'migrate')).toBe('service_completed_successfully');
    expect(conditionOf(service('worker'), 'migrate')).toBe('service_completed_successfully');
    expect(conditionOf(service('migrate'), 'postgres')).toBe('service_healthy');
    expect(conditionOf(service('migrate'), 'setup-db')).toBe('service_completed_successfully');
    expect(api.ports).toEqual(expect.arrayContaining([expect.stringMatching(/:3000$/)]));
  });

  it('health-checks the api with node against /health', () => {
    const healthcheck = dict(service('api').healthcheck, 'api.healthcheck');
    const test = commandText(healthcheck.test);
    expect(test).toMatch(/\bnode\b/);
    expect(test).toContain('http://127.0.0.1:3000/health');
  });

  it('requires every secret, with no default anywhere', () => {
    for (const secret of SECRETS) {
      expect(requiredVars).toContain(secret);
      // No `${SECRET:-default}` / `${SECRET-default}` / bare `${SECRET}` / `$SECRET`.
      expect(composeText).not.toMatch(new RegExp(`\\$\\{${secret}(:?-[^}]*)?\\}`));
      expect(composeText).not.toMatch(new RegExp(`\\$${secret}\\b`));
    }
    for (const name of APP_SERVICES) {
      const env = envOf(service(name));
      for (const secret of SECRETS) {
        expect({ service: name, secret, value: env[secret] }).toEqual({
          service: name,
          secret,
          value: expect.stringMatching(new RegExp(`^\\$\\{${secret}:\\?[^}]+\\}$`)),
        });
      }
    }
    // Every ${VAR:?...} in the file is one of the known secrets, so the lists stay complete.
    expect([...requiredVars].sort()).toEqual([...SECRETS, ...SERVICE_SECRETS].sort());
  });

  it('gives each service only the database role and audit key it needs', () => {
    const user = (url: string | undefined) => (url ? /^postgres:\/\/([^:@]+)/.exec(url)?.[1] : undefined);
    for (const name of ['seed', 'api', 'worker']) {
      const env = envOf(service(name));
      expect({ name, app: user(env.DATABASE_URL), owner: env.DATABASE_OWNER_URL, admin: env.DATABASE_ADMIN_URL }).toEqual({ name, app: 'aduan_app', owner: undefined, admin: undefined });
    }
    expect(user(envOf(service('migrate')).DATABASE_OWNER_URL)).toBe('aduan_owner');
    expect(envOf(service('migrate')).DATABASE_ADMIN_URL).toBeUndefined();
    const setup = envOf(service('setup-db'));
    expect([user(setup.DATABASE_URL), user(setup.DATABASE_OWNER_URL), setup.DATABASE_ADMIN_URL]).toEqual(['aduan_app', 'aduan_owner', expect.stringMatching(/@postgres:5432\/postgres$/)]);
    expect(envOf(service('worker')).AUDIT_SIGNING_KEY).toMatch(/^\$\{AUDIT_SIGNING_KEY:\?/);
    for (const name of ['api', 'migrate', 'seed', 'setup-db']) expect({ name, key: envOf(service(name)).AUDIT_SIGNING_KEY }).toEqual({ name, key: undefined });
    expect(envOf(service('api')).AUDIT_VERIFIER_KEY).toMatch(/^\$\{AUDIT_VERIFIER_KEY:\?/);
  });

  it('has a multi-stage Dockerfile whose final stage runs node as a non-root user', () => {
    const stages = parseDockerfile(readFileSync(DOCKERFILE, 'utf8'));
    expect(stages.length).toBeGreaterThanOrEqual(2);

    const final = stages[stages.length - 1];
    const last = (keyword: string) =>
      [...final.instructions].reverse().find((instruction) => instruction.keyword === keyword);

    const user = last('USER');
    expect(user).toBeDefined();
    const userName = (user?.args ?? '').split(':')[0];
    expect(['root', '0', '']).not.toContain(userName);

    const entrypoint = last('ENTRYPOINT');
    expect(entrypoint).toBeDefined();
    expect(execForm(entrypoint?.args ?? '')).toEqual(['node']);

    const cmd = last('CMD');
    expect(execForm(cmd?.args ?? '')).toEqual(['dist/apps/api/src/main.js']);

    const env = final.instructions.filter((i) => i.keyword === 'ENV').map((i) => i.args).join(' ');
    expect(env).toMatch(/NODE_ENV[= ]production/);
    expect(last('WORKDIR')?.args).toBe('/app');
  });

  itIfCompose(`passes \`docker compose config -q\` with the secrets set${composeSuffix}`, () => {
    const result = spawnSync('docker', ['compose', '-f', 'docker/compose.yaml', 'config', '-q'], {
      cwd: ROOT,
      env: { ...process.env, ...requiredEnv(requiredVars) },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  });

  itIfCompose(`is refused by \`docker compose config\` without the secrets${composeSuffix}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'aduan-compose-'));
    try {
      // An empty env file so a developer's docker/.env cannot supply the secrets.
      const emptyEnvFile = join(dir, 'empty.env');
      writeFileSync(emptyEnvFile, '');
      const env = { ...process.env };
      for (const name of requiredVars) delete env[name];
      const result = spawnSync(
        'docker',
        ['compose', '--env-file', emptyEnvFile, '-f', 'docker/compose.yaml', 'config', '-q'],
        { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 },
      );
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/set (AUTH_TOKEN_SECRET|PRIVACY_KEY|ACCESS_CODE_SECRET|ADMIN_PASSWORD)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
