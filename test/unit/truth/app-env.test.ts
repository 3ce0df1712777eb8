import { describe, expect, it } from 'vitest';
import { buildAppEnv, placeholderFor } from '../../../src/core/truth/local/rehearse.js';
import { analysisFrom } from '../../integration/rehearse/support.js';

const analysis = analysisFrom({
  port: { value: 8080, reads_env: true, env_name: 'APP_PORT' },
  env_vars: [
    { name: 'APP_PORT', class: 'runtime-port', required: true },
    { name: 'SESSION_SECRET', class: 'server-secret', required: true },
    { name: 'DATABASE_URL', class: 'database', required: true },
    { name: 'LOG_LEVEL', class: 'logging', required: false },
    { name: 'FEATURE_FLAG', class: 'other', required: true },
  ],
});

describe('buildAppEnv', () => {
  const host = { PATH: '/usr/bin', HOME: '/home/u', GITHUB_TOKEN: 'ghp_secret_from_the_shell', AWS_SECRET_ACCESS_KEY: 'x'.repeat(20), NODE_ENV: 'development' };

  it('passes only harmless host variables, production mode and the port under both names', () => {
    const { env } = buildAppEnv(analysis, 41000, {}, host);
    expect(env).toMatchObject({ PATH: '/usr/bin', HOME: '/home/u', NODE_ENV: 'production', PORT: '41000', APP_PORT: '41000' });
    expect(env).not.toHaveProperty('GITHUB_TOKEN');
    expect(env).not.toHaveProperty('AWS_SECRET_ACCESS_KEY');
  });

  it("gives required variables placeholders; a secret's or a connection string's must not be printed, a setting's may", () => {
    const { env, secrets, placeholders } = buildAppEnv(analysis, 41000, {}, host);
    expect(placeholders).toEqual(['SESSION_SECRET', 'DATABASE_URL', 'FEATURE_FLAG']);
    expect(env.SESSION_SECRET).toBe(placeholderFor('SESSION_SECRET'));
    expect(env).not.toHaveProperty('LOG_LEVEL');
    // FEATURE_FLAG (or APP_NAME, a logger's name on every line) is a setting: printing it is no leak.
    expect(secrets.map((s) => s.name)).toEqual(['SESSION_SECRET', 'DATABASE_URL']);
  });

  it('sets a variable the service validates at start to the example file value, as the template does', () => {
    const withLevel = analysisFrom({ env_vars: [{ name: 'LOG_LEVEL', class: 'logging', required: false, default: 'info', must_set: true }] });
    expect(buildAppEnv(withLevel, 41000, {}, host).env.LOG_LEVEL).toBe('info');
    expect(buildAppEnv(withLevel, 41000, { LOG_LEVEL: 'debug' }, host).env.LOG_LEVEL).toBe('debug');
    // An envalid `host()` the example fills with localhost: in a container, every interface.
    const withHost = analysisFrom({ env_vars: [{ name: 'HOST', class: 'runtime-port', required: false, default: 'localhost', must_set: true }] });
    expect(buildAppEnv(withHost, 41000, {}, host).env.HOST).toBe('0.0.0.0');
  });

  it('uses given values instead of placeholders; secret-looking ones must not be printed, plain ones may', () => {
    const { env, secrets } = buildAppEnv(analysis, 41000, { SESSION_SECRET: 'real-session-secret', LOG_LEVEL: 'debug' }, host);
    expect(env).toMatchObject({ SESSION_SECRET: 'real-session-secret', LOG_LEVEL: 'debug' });
    expect(secrets).toContainEqual({ name: 'SESSION_SECRET', value: 'real-session-secret' });
    expect(secrets.find((s) => s.name === 'LOG_LEVEL')).toBeUndefined();
  });

  it('shapes placeholders like what the name asks for, so start-up validation passes', () => {
    expect(placeholderFor('API_BASE_URL')).toBe('https://rehearsal-placeholder-api-base-url.invalid/');
    expect(new URL(placeholderFor('DATABASE_URL')).hostname).toMatch(/\.invalid$/);
    expect(placeholderFor('CORS_ORIGIN')).toMatch(/^https:\/\/.*\.invalid\/$/);
    expect(placeholderFor('ADMIN_EMAIL')).toBe('rehearsal-placeholder-admin-email@example.invalid');
    expect(placeholderFor('SESSION_SECRET')).toBe('rehearsal-placeholder-SESSION_SECRET');
    // Unique per name: a printed placeholder names the variable it came from.
    expect(new Set(['A_URL', 'B_URL', 'A_EMAIL', 'SECRET'].map(placeholderFor)).size).toBe(4);
  });
});
