import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
function r(e){return e.replace(/[.*+?^${}()|[\]\\]/g,"\\$&")}export{r as a};
//# sourceMappingURL=chunk-6E3SDDSZ.js.map
