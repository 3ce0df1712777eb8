/**
 * A workspace pattern (package.json `workspaces`, pnpm-workspace.yaml) as a regular expression over repo-relative
 * directories: `*` and `?` stay within one path segment; a `**` segment is any number of segments, none included
 * (openstatus's `packages/**\/*` holds packages/db as well as packages/notifications/slack).
 */
export function workspaceGlob(pattern: string): RegExp {
  const segs = pattern.replace(/^\.\//, '').replace(/\/+$/, '').split('/');
  let re = '';
  segs.forEach((seg, i) => {
    const last = i === segs.length - 1;
    if (seg === '**') re += last ? '[^/]+(?:/[^/]+)*' : '(?:[^/]+/)*';
    else re += seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]') + (last ? '' : '/');
  });
  return new RegExp(`^${re}$`);
}
