import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
var i={now:()=>new Date,sleep:(n,e)=>new Promise((o,t)=>{if(e?.aborted)return t(e.reason??new Error("aborted"));let s=setTimeout(()=>{e?.removeEventListener("abort",r),o()},n),r=()=>{clearTimeout(s),t(e?.reason??new Error("aborted"))};e?.addEventListener("abort",r,{once:!0})})},a=()=>{};export{i as a,a as b};
//# sourceMappingURL=chunk-HJQUB25B.js.map
