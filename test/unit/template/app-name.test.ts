import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../../src/core/template/render.js';
import { buildAnalysis } from '../../support/analysis-builder.js';
import { IMAGE } from './helpers.js';

describe('app name', () => {
  it('comes from the package.json name (scope dropped), not the checkout directory', () => {
    const analysis = buildAnalysis({ project: { name: 'checkout-dir', package_name: '@acme/Orders_API' }, units: [] });
    // The npm scope is not part of an app name; the rest is made DNS-safe.
    expect(renderTemplate(analysis, { image: IMAGE }).yaml).toContain('value: orders-api-${{ random(8) }}');
  });

  it('falls back to the directory name without a package name', () => {
    const analysis = buildAnalysis({ project: { name: 'checkout-dir', package_name: null }, units: [] });
    expect(renderTemplate(analysis, { image: IMAGE }).yaml).toContain('checkout-dir-${{ random(8) }}');
  });
});
