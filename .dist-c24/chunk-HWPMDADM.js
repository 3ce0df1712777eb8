import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
var o="cloud.sealos.io/app-deploy-manager",e="cloud.sealos.io/app-deploy-manager-domain",s="cloud.sealos.io/deploy-on-sealos",n="deploy.cloud.sealos.io/minReplicas",t="deploy.cloud.sealos.io/maxReplicas",a="originImageName",r="sealos-db-provider-cr",i="sealos-deploy/migration-command";export{o as a,e as b,s as c,n as d,t as e,a as f,r as g,i as h};
//# sourceMappingURL=chunk-HWPMDADM.js.map
