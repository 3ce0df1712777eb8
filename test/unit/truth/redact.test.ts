import { describe, expect, it } from 'vitest';
import { createRedactor, looksSecretName, maskCommandSecrets, REDACTED } from '../../../src/core/redact.js';

describe('createRedactor', () => {
  const secret = 's3cr3t/value+with=chars';

  it('replaces the raw, URL-encoded and base64 forms of every secret', () => {
    const r = createRedactor([secret]);
    const b64 = Buffer.from(secret).toString('base64');
    const text = `raw=${secret} url=${encodeURIComponent(secret)} b64=${b64} b64url=${Buffer.from(secret).toString('base64url')}`;
    expect(r.redact(text)).toBe(`raw=${REDACTED} url=${REDACTED} b64=${REDACTED} b64url=${REDACTED}`);
  });

  it('redacts passwords and token-users inside URLs even when the value was never registered', () => {
    const r = createRedactor();
    expect(r.redact('connect postgres://app:pa55word@db.internal:5432/prod failed')).toBe(`connect postgres://app:${REDACTED}@db.internal:5432/prod failed`);
    expect(r.redact('git clone https://ghp_abcdefghijklmnopqrstuvwxyz012345@github.com/o/r')).toBe(`git clone https://${REDACTED}@github.com/o/r`);
    // An ordinary user name or e-mail is not a credential.
    expect(r.redact('ssh://git@github.com and mail me at a@b.example')).toBe('ssh://git@github.com and mail me at a@b.example');
  });

  it('ignores values shorter than 4 characters so ordinary text survives', () => {
    const r = createRedactor(['on', 'abc', '']);
    expect(r.size).toBe(0);
    expect(r.redact('abc is on')).toBe('abc is on');
  });

  it('replaces a longer secret whole when a shorter one is inside it', () => {
    const r = createRedactor(['token', 'token-with-suffix']);
    expect(r.redact('x token-with-suffix y token')).toBe(`x ${REDACTED} y ${REDACTED}`);
  });

  it('learns secrets added later and escapes regex characters', () => {
    const r = createRedactor();
    r.add('a.b*c(d)');
    expect(r.redact('value a.b*c(d) and aXbbc(d)')).toBe(`value ${REDACTED} and aXbbc(d)`);
  });

  it('redactDeep walks objects and arrays, and blanks values under secret-looking keys', () => {
    const r = createRedactor([secret]);
    const input = { lines: [`x ${secret}`], nested: { password: 'short1', note: 'fine', n: 3, ok: true, none: null }, apiKey: 'whatever-it-is' };
    const out = r.redactDeep(input);
    expect(out).toEqual({ lines: [`x ${REDACTED}`], nested: { password: REDACTED, note: 'fine', n: 3, ok: true, none: null }, apiKey: REDACTED });
    expect(input.lines[0]).toContain(secret); // the input is not mutated
  });
});

describe('looksSecretName', () => {
  it.each(['SESSION_SECRET', 'JWT_SECRET', 'API_KEY', 'stripeApiKey', 'GITHUB_TOKEN', 'DB_PASSWORD', 'PGPASSWORD', 'DATABASE_URL', 'REDIS_URL', 'AWS_SECRET_ACCESS_KEY', 'PRIVATE_KEY', 'SENTRY_DSN', 'COOKIE_SECRET', 'AUTH_TOKEN'])(
    '%s is secret',
    (name) => expect(looksSecretName(name)).toBe(true),
  );
  it.each(['PORT', 'NODE_ENV', 'LOG_LEVEL', 'HOST', 'NEXT_PUBLIC_API_KEY', 'VITE_TOKEN', 'TOKEN_TTL', 'SECRET_FILE', 'AUTHOR', 'KEY', 'PUBLIC_URL', 'APP_URL', 'cert_secret_name', 'pull_secret_status', 'TOKEN_STATE', 'PRIVATE_KEY_ROTATION_GRACE_PERIOD', 'COOKIE_MAX_AGE', 'SESSION_SECRET_EXPIRES', 'API_KEY_ENABLED', 'CLIENT_SUCCESS_AUTH_REDIRECT', 'AUTH_CALLBACK_URL'])('%s is not secret', (name) =>
    expect(looksSecretName(name)).toBe(false),
  );
});

describe('maskCommandSecrets', () => {
  it('masks secrets written into a command line and names what it masked, leaving everything else', () => {
    const cases: Array<[string, string, string[]]> = [
      ['STRIPE_SECRET_KEY=sk_live_51Habc node server.js', 'STRIPE_SECRET_KEY=*** node server.js', ['STRIPE_SECRET_KEY']],
      ['TZ=UTC NODE_ENV=production node dist/server.js', 'TZ=UTC NODE_ENV=production node dist/server.js', []],
      ['node s.js --token=abc123 --port 3000', 'node s.js --token=*** --port 3000', ['--token']],
      ['node s.js --password hunter2', 'node s.js --password ***', ['--password']],
      ['node s.js --db postgres://app:p4ss@db:5432/x', 'node s.js --db postgres://app:***@db:5432/x', ['a URL password']],
      ['API_KEY="abc def" node x.js', 'API_KEY=*** node x.js', ['API_KEY']],
      ['cross-env SESSION_SECRET=keyboard node x.js && echo ghp_abcdefghijklmnop1234', 'cross-env SESSION_SECRET=*** node x.js && echo ***', ['SESSION_SECRET', 'a credential']],
      // References and file paths are not secrets.
      ['JWT_SECRET=$JWT_SECRET node s.js --password-file /run/secrets/pw', 'JWT_SECRET=$JWT_SECRET node s.js --password-file /run/secrets/pw', []],
      // BuildKit's secret mounts name where the secret comes from (novu's docker:build script); a value after --secret is one.
      ['NPM_TOKEN=${NPM_TOKEN} docker buildx build --secret id=NPM_TOKEN --secret id=npmrc,src=.npmrc,required=true -', 'NPM_TOKEN=${NPM_TOKEN} docker buildx build --secret id=NPM_TOKEN --secret id=npmrc,src=.npmrc,required=true -', []],
      ['node s.js --secret s3cr3t-value', 'node s.js --secret ***', ['--secret']],
    ];
    for (const [cmd, text, masked] of cases) expect(maskCommandSecrets(cmd), cmd).toMatchObject({ text, masked });
  });
});

describe('maskCommandSecrets and stand-in values', () => {
  it('says when everything it masked only stands in for a secret (a test script\'s `RESEND_API_KEY=test-key`), or is the storage emulator\'s public key', () => {
    expect(maskCommandSecrets('NODE_ENV=test RESEND_API_KEY=test-key CRON_SECRET=test-secret deno test -A')).toEqual({ text: 'NODE_ENV=test RESEND_API_KEY=*** CRON_SECRET=*** deno test -A', masked: ['RESEND_API_KEY', 'CRON_SECRET'], placeholdersOnly: true });
    expect(maskCommandSecrets('JWT_SECRET=dummy API_TOKEN=xxxx jest').placeholdersOnly).toBe(true);
    expect(maskCommandSecrets('DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;').placeholdersOnly).toBe(true);
    expect(maskCommandSecrets('RESEND_API_KEY=test-key STRIPE_SECRET_KEY=sk_live_51Habcdefghijklmnop jest').placeholdersOnly).toBe(false);
    expect(maskCommandSecrets('AccountName=acmeprod;AccountKey=Zm9vYmFyYmF6cXV4cXV1eA== x').placeholdersOnly).toBe(false);
    expect(maskCommandSecrets('node s.js').placeholdersOnly).toBe(false);
  });
});

describe('maskCommandSecrets and stand-in URLs', () => {
  it('leaves a URL on this machine or a reserved example host alone: the dummy a build step needs is no secret', () => {
    for (const c of ['DATABASE_URL="postgresql://user:pass@localhost:5432/dummy"', 'psql postgres://a:b@127.0.0.1/x', 'DATABASE_URL=postgresql://postgres:postgres@[::1]:5432/x', 'curl https://u:p@api.example.com/', 'REDIS_URL=redis://:pw@cache.localhost:6379'])
      expect(maskCommandSecrets(c), c).toMatchObject({ text: c, masked: [] });
  });
  it('still masks credentials for any other host', () => {
    expect(maskCommandSecrets('DATABASE_URL=postgres://app:hunter22@db.prod.acme.io/app')).toMatchObject({ text: 'DATABASE_URL=***', masked: ['DATABASE_URL'] });
    expect(maskCommandSecrets('curl https://u:p@example.co/')).toMatchObject({ text: 'curl https://u:***@example.co/', masked: ['a URL password'] });
    expect(maskCommandSecrets('DATABASE_URL=postgres://app:pw@localhost.acme.io/app').masked).toEqual(['DATABASE_URL']);
  });
});

describe('maskCommandSecrets and datastore addresses without a password', () => {
  it('a SQLite file or a password-less address under a secret name is not masked; a password, a query secret or a webhook is', () => {
    for (const c of ['DATABASE_URL=file:/data/sqlite.db', 'REDIS_URL=redis://cache:6379', 'DATABASE_URL=postgres://app@db:5432/app'])
      expect(maskCommandSecrets(c), c).toMatchObject({ text: c, masked: [] });
    expect(maskCommandSecrets('DATABASE_URL=postgres://app:pw@db:5432/app').masked).toEqual(['DATABASE_URL']);
    expect(maskCommandSecrets('DATABASE_URL=postgres://db/app?password=x').masked).toEqual(['DATABASE_URL']);
    expect(maskCommandSecrets('SLACK_WEBHOOK_SECRET=https://hooks.slack.com/services/T0/B0/XYZ').masked).toEqual(['SLACK_WEBHOOK_SECRET']);
  });
});

describe('maskCommandSecrets and throwaway local containers', () => {
  it('`docker run -e POSTGRES_PASSWORD=postgres` is a local default; a real-looking value there is still masked', () => {
    for (const c of ['docker run --rm -p 5432:5432 -e POSTGRES_PASSWORD=postgres postgres', 'docker run -e MYSQL_ROOT_PASSWORD=mariadb# mariadb'])
      expect(maskCommandSecrets(c), c).toMatchObject({ text: c, masked: [] });
    expect(maskCommandSecrets('docker run -e POSTGRES_PASSWORD=Xk29vLq8Zr7w postgres').masked).toEqual(['POSTGRES_PASSWORD']);
    expect(maskCommandSecrets('POSTGRES_PASSWORD=postgres node seed.js').masked).toEqual(['POSTGRES_PASSWORD']);
  });
});
