import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
var s={budgetMs:3e5,stabilityMs:1e4,startupTimeoutMs:3e4,shutdownGraceMs:1e4};export{s as a};
//# sourceMappingURL=chunk-B6OGAP5G.js.map
