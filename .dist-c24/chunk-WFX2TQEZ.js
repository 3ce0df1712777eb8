import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{createHash as s}from"node:crypto";function i(r){let e=s("sha256");e.update(`sealos-deploy/migrations/v1
`);let a=[...r].sort((t,o)=>t.path<o.path?-1:t.path>o.path?1:0);for(let t of a){let o=typeof t.content=="string"?Buffer.from(t.content,"utf8"):Buffer.from(t.content),n=Buffer.from(t.path,"utf8");e.update(`${n.length}:`),e.update(n),e.update(`${o.length}:`),e.update(o)}return`sha256:${e.digest("hex")}`}var p=i([]);export{i as a,p as b};
//# sourceMappingURL=chunk-WFX2TQEZ.js.map
