import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../src/core/redact.js';
import { collectInputs } from '../../../src/ops/inputs.js';

describe('collectInputs', () => {
  it('takes plain inputs from the command line and registers every value with the redactor', async () => {
    const redactor = createRedactor([]);
    expect(await collectInputs({ pairs: ['ALLOWED_ORIGINS=https://shop.example'], redactor })).toEqual({ ALLOWED_ORIGINS: 'https://shop.example' });
    expect(redactor.redact('origin https://shop.example')).not.toContain('shop.example');
  });

  it('refuses a secret-looking input on the command line and names the safe way', async () => {
    const attempt = collectInputs({ pairs: ['STRIPE_SECRET_KEY=sk_live_abcdef123456'], redactor: createRedactor([]) });
    await expect(attempt).rejects.toMatchObject({ code: 'USAGE', next: expect.stringContaining('--inputs-file') });
    await expect(attempt).rejects.not.toMatchObject({ message: expect.stringContaining('sk_live') });
  });
});
