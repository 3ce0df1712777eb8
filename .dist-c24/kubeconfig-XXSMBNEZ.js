import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{a}from"./chunk-VYEDQPZD.js";import"./chunk-CEAKIEIK.js";import"./chunk-PXSLMCA7.js";export{a as resolveKubeconfig};
//# sourceMappingURL=kubeconfig-XXSMBNEZ.js.map
