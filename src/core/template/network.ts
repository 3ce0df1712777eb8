import { DeployError } from '../errors.js';
import { APP_DEPLOY_MANAGER, APP_DEPLOY_MANAGER_DOMAIN, type K8sObject } from './labels.js';
import { APP, APP_HOST, PUBLIC_HOST, PUBLIC_URL } from './types.js';

/** Service, Ingress (App Launchpad's HTTP annotations, reference §4.7), custom domain, and the App CR. */

export function service(port: number): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: APP, labels: { [APP_DEPLOY_MANAGER]: APP, app: APP } },
    spec: { ports: [{ name: 'http', port, targetPort: port, protocol: 'TCP' }], selector: { app: APP } },
  };
}

const INGRESS_ANNOTATIONS: Record<string, string> = {
  'kubernetes.io/ingress.class': 'nginx',
  'nginx.ingress.kubernetes.io/proxy-body-size': '32m',
  'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
  'nginx.ingress.kubernetes.io/backend-protocol': 'HTTP',
  'nginx.ingress.kubernetes.io/client-body-buffer-size': '64k',
  'nginx.ingress.kubernetes.io/proxy-buffer-size': '64k',
  'nginx.ingress.kubernetes.io/proxy-send-timeout': '300',
  'nginx.ingress.kubernetes.io/proxy-read-timeout': '300',
  'nginx.ingress.kubernetes.io/server-snippet': 'client_header_buffer_size 64k;\nlarge_client_header_buffers 4 128k;\n',
};

function ingressFor(name: string, host: string, tlsSecret: string, port: number): K8sObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name,
      labels: { [APP_DEPLOY_MANAGER]: APP, [APP_DEPLOY_MANAGER_DOMAIN]: APP_HOST },
      annotations: { ...INGRESS_ANNOTATIONS },
    },
    spec: {
      rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: APP, port: { number: port } } } }] } }],
      tls: [{ hosts: [host], secretName: tlsSecret }],
    },
  };
}

export function ingress(port: number): K8sObject {
  return ingressFor(APP, PUBLIC_HOST, '${{ SEALOS_CERT_SECRET_NAME }}', port);
}

const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function assertCustomDomain(domain: string): string {
  const d = domain.trim().toLowerCase().replace(/\.$/, '');
  if (!DOMAIN.test(d)) {
    throw new DeployError('USAGE', `"${domain}" is not a domain name a certificate can be issued for.`, 'Pass a host name such as api.example.com (no scheme, port, path or wildcard).');
  }
  return d;
}

/** A second Ingress for the user's domain, with a Let's Encrypt Issuer and Certificate (reference §4.8). */
export function customDomainResources(domain: string, port: number): K8sObject[] {
  const name = `${APP}-domain`;
  const labels = { [APP_DEPLOY_MANAGER]: APP };
  return [
    ingressFor(name, domain, name, port),
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: { name, labels },
      spec: {
        acme: {
          server: 'https://acme-v02.api.letsencrypt.org/directory',
          email: 'admin@sealos.io',
          privateKeySecretRef: { name: 'letsencrypt-prod' },
          solvers: [{ http01: { ingress: { class: 'nginx', serviceType: 'ClusterIP' } } }],
        },
      },
    },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name, labels: { ...labels } },
      spec: { secretName: name, dnsNames: [domain], issuerRef: { name, kind: 'Issuer' } },
    },
  ];
}

export function appCr(title: string): K8sObject {
  return {
    apiVersion: 'app.sealos.io/v1',
    kind: 'App',
    metadata: { name: APP, labels: { [APP_DEPLOY_MANAGER]: APP } },
    spec: { name: title, icon: `${PUBLIC_URL}/favicon.ico`, type: 'link', displayType: 'normal', data: { url: PUBLIC_URL } },
  };
}
