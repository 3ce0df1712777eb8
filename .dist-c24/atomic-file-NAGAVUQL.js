import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{c as a,d as b,e as c,f as d}from"./chunk-K4NWVWVV.js";import"./chunk-CEAKIEIK.js";import"./chunk-PXSLMCA7.js";export{a as RENAME_DELAY_ENV,d as nodeStateIo,c as readTextIfExists,b as writeFileAtomic};
//# sourceMappingURL=atomic-file-NAGAVUQL.js.map
