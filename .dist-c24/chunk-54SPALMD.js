import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{c as r}from"./chunk-DPVCAYGT.js";import{a as n}from"./chunk-4636IZR6.js";import{a as i,b as s}from"./chunk-RY6JI7X6.js";function m(e){let o=e.env??process.env,t={http:e.http??n};return e.caFile&&(t.caFile=e.caFile),e.timeoutMs&&(t.timeoutMs=e.timeoutMs),e.signal&&(t.signal=e.signal),{paths:i(s(o,e.home)),call:t,env:o}}function c(e,o,t){return r(e,{...o.endpoints?{overrides:o.endpoints}:{},env:t.env})}export{m as a,c as b};
//# sourceMappingURL=chunk-54SPALMD.js.map
