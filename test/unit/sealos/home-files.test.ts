import { describe, expect, it } from 'vitest';
import { serializeAuth } from '../../../src/sealos/home-files.js';
import { kubeconfigFacts } from '../../../src/sealos/kubeconfig-facts.js';
import { sealosKubeconfig } from '../../support/fake-region/kubeconfig.js';

describe('serializeAuth', () => {
  it('writes the sealos-cli field order and keeps fields another tool added', () => {
    const text = serializeAuth({
      current_workspace: { teamName: 'T', id: 'ns-a', uid: 'u' },
      auth_method: 'oauth2_device_grant',
      region: 'https://usw-1.sealos.io',
      regional_token: 'r',
      access_token: 'a',
      authenticated_at: '2026-01-01T00:00:00.000Z',
      cli_extra: { x: 1 },
    });
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['region', 'access_token', 'regional_token', 'authenticated_at', 'auth_method', 'current_workspace', 'cli_extra']);
    expect(Object.keys(parsed.current_workspace as object)).toEqual(['uid', 'id', 'teamName']);
  });
});

describe('kubeconfigFacts', () => {
  it('reads server and namespace of the current context', () => {
    expect(kubeconfigFacts(sealosKubeconfig({ server: 'https://usw-1.sealos.io:6443', namespace: 'ns-abcd1234', token: 't' }))).toEqual({
      server: 'https://usw-1.sealos.io:6443',
      namespace: 'ns-abcd1234',
      context: 'abcd1234@sealos',
    });
  });
  it('rejects text without a current context', () => {
    expect(() => kubeconfigFacts('apiVersion: v1\nkind: Config\n')).toThrow(/no current context/);
    expect(() => kubeconfigFacts(': : :')).toThrow();
  });
});
