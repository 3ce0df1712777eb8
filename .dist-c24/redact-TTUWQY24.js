import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-AICFZCCC.js";import"./chunk-6E3SDDSZ.js";import"./chunk-PXSLMCA7.js";export{f as MASKED,b as MIN_SECRET_LENGTH,a as REDACTED,d as SECRET_SETTING,c as createRedactor,e as looksSecretName,g as maskCommandSecrets};
//# sourceMappingURL=redact-TTUWQY24.js.map
