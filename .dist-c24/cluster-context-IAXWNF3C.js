import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{a,b}from"./chunk-VHSGXWYT.js";import"./chunk-5ASN6DXW.js";import"./chunk-THL44PX4.js";import"./chunk-VYEDQPZD.js";import"./chunk-CEAKIEIK.js";import"./chunk-PXSLMCA7.js";export{a as openCluster,b as regionHost};
//# sourceMappingURL=cluster-context-IAXWNF3C.js.map
