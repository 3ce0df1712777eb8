import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{a}from"./chunk-UBMGJAAE.js";import"./chunk-THL44PX4.js";import"./chunk-5UCVUZ4C.js";import"./chunk-5WDIOWR5.js";import"./chunk-7EVNVKVM.js";import"./chunk-MS4T2W2W.js";import"./chunk-CEAKIEIK.js";import"./chunk-PXSLMCA7.js";export{a as decideMode};
//# sourceMappingURL=deploy-mode-WWABOSO3.js.map
