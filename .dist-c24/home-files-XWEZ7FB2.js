import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{a,b,c,d,e,f,g,h,i,j,k}from"./chunk-RY6JI7X6.js";import"./chunk-MS4T2W2W.js";import"./chunk-K4NWVWVV.js";import"./chunk-CEAKIEIK.js";import"./chunk-PXSLMCA7.js";export{c as AUTH_METHOD_DEVICE_GRANT,e as authFileSchema,f as ensurePrivateDir,b as homeFrom,h as readAuthFile,i as requireAuthFile,a as sealosPaths,j as serializeAuth,d as workspaceRefSchema,k as writeAuthFile,g as writePrivateFile};
//# sourceMappingURL=home-files-XWEZ7FB2.js.map
