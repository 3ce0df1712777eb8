import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
var s=".sealos/build/build-result.json";export{s as a};
//# sourceMappingURL=chunk-25EG5KIU.js.map
