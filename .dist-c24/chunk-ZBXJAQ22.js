import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
function t(r){return r!==""&&/^[A-Za-z0-9_@%+=:,./-]+$/.test(r)?r:`'${r.replace(/'/g,"'\\''")}'`}export{t as a};
//# sourceMappingURL=chunk-ZBXJAQ22.js.map
