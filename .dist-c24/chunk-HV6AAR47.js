import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{a as o}from"./chunk-CEAKIEIK.js";function n(e){let t=(e??"").replace(/\\/g,"/"),r=t.split("/").filter(i=>i!==""&&i!==".");if(t.startsWith("/")||/^[A-Za-z]:/.test(t)||r.includes(".."))throw new o("UNIT_NOT_FOUND",`--path "${e}" is not a directory inside the repository.`,"Pass --path relative to the repository root, e.g. --path packages/api.");return r.join("/")}export{n as a};
//# sourceMappingURL=chunk-HV6AAR47.js.map
