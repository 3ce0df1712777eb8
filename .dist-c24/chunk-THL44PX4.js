import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
var n="cloud.sealos.io/app-deploy-manager";function r(e){if(!e)return null;try{return new URL(e).hostname.toLowerCase()||null}catch{return null}}export{n as a,r as b};
//# sourceMappingURL=chunk-THL44PX4.js.map
