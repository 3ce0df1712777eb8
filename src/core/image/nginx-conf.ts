/** Port nginx-unprivileged listens on (it cannot bind below 1024 as uid 101). */
export const STATIC_PORT = 8080;

/**
 * The server block for a static site. SPAs fall back to index.html so client-side routes survive a
 * reload; multi-page sites try `<path>.html` and answer 404 otherwise. Hashed assets are cached for a
 * year, index.html never (a deploy must show up at once). /healthz answers without touching files.
 */
export function nginxConf(spa: boolean): string {
  const fallback = spa ? 'try_files $uri $uri/ /index.html;' : 'try_files $uri $uri/ $uri.html =404;';
  return [
    'server {',
    `    listen ${STATIC_PORT};`,
    '    server_name _;',
    '    root /usr/share/nginx/html;',
    '    index index.html;',
    '    server_tokens off;',
    '',
    '    location = /healthz {',
    '        access_log off;',
    '        default_type text/plain;',
    '        return 200 "ok\\n";',
    '    }',
    '',
    '    location ~* \\.(?:js|mjs|css|woff2?|ttf|eot|svg|png|jpe?g|gif|webp|avif|ico|wasm)$ {',
    '        expires 1y;',
    '        add_header Cache-Control "public, max-age=31536000, immutable";',
    '        try_files $uri =404;',
    '    }',
    '',
    '    location = /index.html {',
    '        add_header Cache-Control "no-cache";',
    '    }',
    '',
    '    location / {',
    `        ${fallback}`,
    '    }',
    ...(spa ? [] : ['', '    error_page 404 /404.html;']),
    '}',
    '',
  ].join('\n');
}
