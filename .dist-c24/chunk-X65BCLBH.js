import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
var s={budgetMs:3e5,stabilityWindowMs:6e4};export{s as a};
//# sourceMappingURL=chunk-X65BCLBH.js.map
