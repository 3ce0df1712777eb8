import { describe, expect, it } from 'vitest';
import { evaluateExpression, substitute, type ExprScope } from '../../../src/core/template/expressions.js';
import { instantiate } from '../../../src/core/template/instantiate.js';
import { catchError, fixedRandom, platform, type Any } from './helpers.js';

const scope: ExprScope = {
  defaults: new Map([
    ['app_name', 'web-abcdefgh'],
    ['app_host', 'web-hgfedcba'],
  ]),
  inputs: new Map([
    ['ENABLE_S3', 'true'],
    ['EMPTY', ''],
    ['my-key', 'dashed'],
  ]),
  vars: new Map([
    ['SEALOS_NAMESPACE', 'ns-abcd1234'],
    ['SEALOS_CLOUD_DOMAIN', 'usw-1.sealos.app'],
  ]),
  random: (n) => 'z'.repeat(n),
};
const ev = (src: string) => evaluateExpression(src, scope, 7);

describe('template expressions', () => {
  it('reads defaults, inputs and platform variables', () => {
    expect(ev('defaults.app_name')).toBe('web-abcdefgh');
    expect(ev("inputs['my-key']")).toBe('dashed');
    expect(ev('SEALOS_CLOUD_DOMAIN')).toBe('usw-1.sealos.app');
    expect(substitute('https://${{ defaults.app_host }}.${{ SEALOS_CLOUD_DOMAIN }}/x', scope, 1)).toBe('https://web-hgfedcba.usw-1.sealos.app/x');
  });

  it('supports literals, +, comparisons, logic, negation, parentheses and the ternary', () => {
    expect(ev("'a' + \"b\" + 1")).toBe('ab1');
    expect(ev('1 + 2')).toBe(3);
    expect(ev("inputs.ENABLE_S3 === 'true'")).toBe(true);
    expect(ev("inputs.ENABLE_S3 !== 'true'")).toBe(false);
    expect(ev("inputs.EMPTY || 'fallback'")).toBe('fallback');
    expect(ev("inputs.ENABLE_S3 && 'on'")).toBe('on');
    expect(ev('!inputs.EMPTY')).toBe(true);
    expect(ev("!(inputs.ENABLE_S3 === 'true') ? 'off' : 'on'")).toBe('on');
    expect(ev("inputs.EMPTY ? 'a' : inputs.ENABLE_S3 === 'x' ? 'b' : 'c'")).toBe('c');
  });

  it('has random(n) and base64(x) only', () => {
    expect(ev('random(8)')).toBe('zzzzzzzz');
    expect(ev("base64('hi:' + defaults.app_name)")).toBe(Buffer.from('hi:web-abcdefgh').toString('base64'));
  });

  it.each([
    ['constructor', /not allowed/],
    ['defaults.constructor', /not allowed/],
    ['inputs.__proto__', /not allowed/],
    ["defaults['__proto__']", /not allowed/],
    ['defaults.app_name.length', /property access/],
    ["inputs.ENABLE_S3.toString()", /property access/],
    ['SEALOS_NAMESPACE.length', /property access/],
    ["eval('1')", /unknown function "eval"/],
    ["require('fs')", /unknown function "require"/],
    ['process.exit(1)', /unknown identifier "process"/],
    ['globalThis', /unknown identifier/],
    ['foo', /unknown identifier "foo"/],
    ['1 == 1', /use "==="/],
    ['`x`', /unexpected character/],
    ['(x) => 1', /unexpected character|unknown identifier/],
    ["'open", /unterminated string/],
    ['(1 + 2', /expected "\)"/],
    ['random(0)', /whole number/],
    ["random('8')", /whole number/],
    ['random(8, 9)', /exactly one argument/],
    ['inputs.NOPE', /inputs.NOPE is not defined/],
    ['if(true)', /line of its own/],
    ['', /empty/],
  ])('rejects %j as TEMPLATE_EXPRESSION with the line', (src, why) => {
    const err = catchError(() => ev(src));
    expect(err.code).toBe('TEMPLATE_EXPRESSION');
    expect(err.message).toMatch(/^Line 7:/);
    expect(err.message).toMatch(why);
  });

  it('reports an unclosed ${{', () => {
    const err = catchError(() => substitute('x ${{ defaults.app_name', scope, 3));
    expect(err.code).toBe('TEMPLATE_EXPRESSION');
    expect(err.message).toMatch(/Line 3: .*no closing/);
  });
});

const TEMPLATE_HEAD = `apiVersion: app.sealos.io/v1
kind: Template
metadata:
  name: web
spec:
  title: web
  templateType: inline
  defaults:
    app_name:
      type: string
      value: web-\${{ random(8) }}
    app_host:
      type: string
      value: web-\${{ random(8) }}
  inputs:
    MODE:
      description: mode
      type: string
      default: 'a'
      required: false
    TOKEN:
      description: a secret
      type: string
      default: ''
      required: true
`;

function cm(body: string): string {
  return `---
apiVersion: v1
kind: ConfigMap
metadata:
  name: \${{ defaults.app_name }}
data:
${body}`;
}

const run = (text: string, inputs: Record<string, string> = { TOKEN: 't' }) => instantiate(text, { ...platform, inputs, random: fixedRandom });

describe('conditional blocks', () => {
  const blocks = TEMPLATE_HEAD + cm(`\${{ if(inputs.MODE === 'a') }}
  picked: a
\${{ elif(inputs.MODE === 'b') }}
  picked: b
  \${{ if(inputs.TOKEN === 'deep') }}
  nested: yes
  \${{ endif() }}
\${{ else() }}
  picked: other
\${{ endif() }}
  always: "1"
`);

  it('keeps exactly the branch whose condition holds, nested blocks included', () => {
    expect((run(blocks).objects[0] as Any).data).toEqual({ picked: 'a', always: '1' });
    expect((run(blocks, { TOKEN: 't', MODE: 'b' }).objects[0] as Any).data).toEqual({ picked: 'b', always: '1' });
    expect((run(blocks, { TOKEN: 'deep', MODE: 'b' }).objects[0] as Any).data).toEqual({ picked: 'b', nested: 'yes', always: '1' });
    expect((run(blocks, { TOKEN: 't', MODE: 'z' }).objects[0] as Any).data).toEqual({ picked: 'other', always: '1' });
  });

  it('can drop whole documents', () => {
    const text = TEMPLATE_HEAD + `---\n\${{ if(inputs.MODE === 'b') }}\n` + cm('  a: b\n') + '${{ endif() }}\n' + cm('  c: d\n').replace('app_name }}', "app_name + '-two' }}");
    expect(run(text).objects.map((o) => o.metadata.name)).toEqual(['web-qqqqqqqq-two']);
    expect(run(text, { TOKEN: 't', MODE: 'b' }).objects).toHaveLength(2);
  });

  it('refuses an unterminated block, naming the line of the if', () => {
    const text = TEMPLATE_HEAD + cm(`\${{ if(inputs.MODE === 'a') }}\n  a: b\n`);
    const err = catchError(() => run(text));
    expect(err.code).toBe('TEMPLATE_EXPRESSION');
    expect(err.message).toMatch(/^Line 32: .*never closed/);
  });

  it('refuses endif/else without if, else twice, and blocks inside the Template document', () => {
    expect(catchError(() => run(TEMPLATE_HEAD + cm('${{ endif() }}\n  a: b\n'))).message).toMatch(/without a matching if/);
    expect(catchError(() => run(TEMPLATE_HEAD + cm('${{ if(true) }}\n${{ else() }}\n${{ else() }}\n${{ endif() }}\n  a: b\n'))).message).toMatch(/after else/);
    const inHead = TEMPLATE_HEAD.replace('  templateType: inline\n', "${{ if(true) }}\n  templateType: inline\n${{ endif() }}\n") + cm('  a: b\n');
    const err = catchError(() => run(inHead));
    expect(err.code).toBe('TEMPLATE_EXPRESSION');
    expect(err.message).toMatch(/^Line 7: .*Template document cannot use conditional rendering/);
  });
});

describe('instantiate', () => {
  it('drops the Template, labels every object with the instance, keeps order and fixed identity', () => {
    const text = TEMPLATE_HEAD + cm('  a: b\n') + cm('  c: d\n').replace('app_name }}', "app_name }}-b");
    const out = instantiate(text, { ...platform, inputs: { TOKEN: 't' }, defaults: { app_name: 'web-keepthis', app_host: 'web-hostkeep' } });
    expect(out.appName).toBe('web-keepthis');
    expect(out.appHost).toBe('web-hostkeep');
    expect(out.objects.map((o) => o.metadata.name)).toEqual(['web-keepthis', 'web-keepthis-b']);
    for (const o of out.objects) expect(o.metadata.labels?.['cloud.sealos.io/deploy-on-sealos']).toBe('web-keepthis');
    expect(out.url).toBeNull();
  });

  it('rolls random() with lowercase letters only when no identity is given', () => {
    const out = instantiate(TEMPLATE_HEAD + cm('  a: b\n'), { ...platform, inputs: { TOKEN: 't' } });
    expect(out.appName).toMatch(/^web-[a-z]{8}$/);
  });

  it('refuses missing required inputs by name only', () => {
    const err = catchError(() => run(TEMPLATE_HEAD + cm('  a: b\n'), {}));
    expect(err.code).toBe('INPUT_MISSING');
    expect(err.message).toContain('TOKEN');
    expect(err.details).toEqual({ missing: ['TOKEN'] });
  });

  it('substitutes inside parsed scalars: an input value cannot add keys or documents', () => {
    const evil = 'x: y\n---\napiVersion: v1\nkind: Secret # "\'';
    const out = run(TEMPLATE_HEAD + cm('  token: ${{ inputs.TOKEN }}\n  n: ${{ 1 + 2 }}\n  q: "${{ 1 + 2 }}"\n'), { TOKEN: evil });
    expect(out.objects).toHaveLength(1);
    expect((out.objects[0] as Any).data).toEqual({ token: evil, n: 3, q: '3' });
  });

  it('never echoes secret input values in errors', () => {
    const marker = 'SECRET-MARKER-7f3a9c';
    const text = TEMPLATE_HEAD + cm('  a: ${{ inputs.TOKEN }}\n  b: ${{ inputs.TOKEN.length }}\n');
    const err = catchError(() => run(text, { TOKEN: marker }));
    expect(err.code).toBe('TEMPLATE_EXPRESSION');
    expect(JSON.stringify(err.toJSON())).not.toContain(marker);
  });

  it('requires the Template first, with a fixed name and app_name', () => {
    expect(catchError(() => run(cm('  a: b\n'))).code).toBe('TEMPLATE_INVALID');
    expect(catchError(() => run(TEMPLATE_HEAD.replace('name: web', 'name: ${{ defaults.app_name }}') + cm('  a: b\n'))).message).toMatch(/fixed lowercase name/);
    expect(catchError(() => run(TEMPLATE_HEAD.replace('    app_name:', '    other:') + cm('  a: b\n'))).message).toMatch(/app_name/);
  });

  it('evaluates defaults with platform variables only', () => {
    const text = TEMPLATE_HEAD.replace('value: web-${{ random(8) }}\n    app_host', 'value: web-${{ inputs.MODE }}\n    app_host') + cm('  a: b\n');
    expect(catchError(() => run(text)).code).toBe('TEMPLATE_EXPRESSION');
  });
});
