import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
function n(e){if(e.config?.port!==void 0)return e.config.port;let o=e.port.value??e.port.default??e.dockerfile?.expose[0]??null;return o!==null&&o<1024&&e.port.reads_env?8080:o}export{n as a};
//# sourceMappingURL=chunk-7L42VGNX.js.map
