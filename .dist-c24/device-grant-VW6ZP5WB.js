import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{a,b,c,d,e,f,g,h}from"./chunk-FGBDIYHM.js";import"./chunk-2FRE7EYO.js";import"./chunk-CEAKIEIK.js";import"./chunk-PXSLMCA7.js";export{e as DEFAULT_LOGIN_DEADLINE_MS,c as DEFAULT_POLL_INTERVAL_S,b as DEVICE_GRANT_TYPE,a as SEALOS_CLIENT_ID,d as SLOW_DOWN_STEP_MS,g as pollForAccessToken,f as requestDeviceAuthorization,h as verificationText};
//# sourceMappingURL=device-grant-VW6ZP5WB.js.map
