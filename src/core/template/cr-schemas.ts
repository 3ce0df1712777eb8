import { z } from 'zod';

/**
 * Strict schemas for the Sealos, KubeBlocks and cert-manager custom resources a template may carry.
 * kubernetes-models only knows built-in kinds; these reject unknown fields the way the CRDs'
 * strict decoding does (an App CR with an extra field is a "strict decoding error" on the platform).
 */

const dnsSubdomain = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'must be a lowercase DNS-1123 name');

const metadata = z.looseObject({
  name: dnsSubdomain,
  namespace: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

const quantity = z.union([z.string().regex(/^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/, 'must be a Kubernetes quantity'), z.number()]);
const resourceList = z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() });

export const AppCrSchema = z.strictObject({
  apiVersion: z.literal('app.sealos.io/v1'),
  kind: z.literal('App'),
  metadata,
  spec: z.strictObject({
    name: z.string().min(1),
    icon: z.string(),
    type: z.enum(['link', 'iframe']),
    displayType: z.enum(['normal', 'more', 'hidden']),
    data: z.strictObject({ url: z.url({ protocol: /^https?$/ }), desc: z.string().optional() }),
  }),
});

const templateData = {
  title: z.string().min(1),
  url: z.string().optional(),
  gitRepo: z.string().optional(),
  author: z.string().optional(),
  description: z.string().optional(),
  readme: z.string().optional(),
  icon: z.string().optional(),
  templateType: z.literal('inline'),
  locale: z.string().optional(),
  i18n: z
    .record(
      z.string(),
      z.strictObject({
        title: z.string().optional(),
        url: z.string().optional(),
        gitRepo: z.string().optional(),
        description: z.string().optional(),
        readme: z.string().optional(),
        icon: z.string().optional(),
      }),
    )
    .optional(),
  draft: z.boolean().optional(),
  categories: z.array(z.string()).optional(),
  defaults: z
    .record(z.string(), z.strictObject({ type: z.enum(['string', 'number']), value: z.string() }))
    .refine((d) => 'app_name' in d, 'defaults must have app_name key'),
};

const templateInput = z.strictObject({
  description: z.string(),
  type: z.enum(['string', 'number', 'choice', 'boolean']),
  default: z.string(),
  required: z.boolean(),
  options: z.array(z.string()).optional(),
  if: z.string().optional(),
});

export const TemplateCrSchema = z.strictObject({
  apiVersion: z.literal('app.sealos.io/v1'),
  kind: z.literal('Template'),
  metadata: metadata.extend({ name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a fixed lowercase name without variables') }),
  spec: z.strictObject({ ...templateData, inputs: z.record(z.string(), templateInput).optional() }),
});

/** The CRD's InputData has no options/if: the provider strips them when it builds an Instance. */
export const InstanceCrSchema = z.strictObject({
  apiVersion: z.literal('app.sealos.io/v1'),
  kind: z.literal('Instance'),
  metadata,
  spec: z.strictObject({ ...templateData, inputs: z.record(z.string(), templateInput.omit({ options: true, if: true })).optional() }),
});

const volumeClaimTemplate = z.strictObject({
  name: z.string().min(1),
  spec: z.strictObject({
    accessModes: z.array(z.enum(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'])).min(1),
    resources: z.strictObject({ requests: z.strictObject({ storage: quantity }) }),
    storageClassName: z.string().optional(),
  }),
});

export const KubeBlocksClusterSchema = z.strictObject({
  apiVersion: z.literal('apps.kubeblocks.io/v1alpha1'),
  kind: z.literal('Cluster'),
  metadata,
  spec: z.strictObject({
    affinity: z
      .strictObject({
        podAntiAffinity: z.enum(['Preferred', 'Required']).optional(),
        tenancy: z.enum(['SharedNode', 'DedicatedNode']).optional(),
        topologyKeys: z.array(z.string()).optional(),
        nodeLabels: z.record(z.string(), z.string()).optional(),
      })
      .optional(),
    clusterDefinitionRef: z.string().min(1),
    clusterVersionRef: z.string().min(1),
    componentSpecs: z
      .array(
        z.strictObject({
          name: z.string().min(1),
          componentDefRef: z.string().min(1),
          replicas: z.number().int().min(1),
          disableExporter: z.boolean().optional(),
          enabledLogs: z.array(z.string()).optional(),
          serviceAccountName: z.string().optional(),
          switchPolicy: z.strictObject({ type: z.enum(['Noop', 'MaximumAvailability', 'MaximumDataProtection']) }).optional(),
          resources: z.strictObject({ limits: resourceList, requests: resourceList }),
          volumeClaimTemplates: z.array(volumeClaimTemplate).min(1),
        }),
      )
      .min(1),
    terminationPolicy: z.enum(['DoNotTerminate', 'Halt', 'Delete', 'WipeOut']),
    tolerations: z.array(z.record(z.string(), z.unknown())).optional(),
  }),
});

export const IssuerSchema = z.strictObject({
  apiVersion: z.literal('cert-manager.io/v1'),
  kind: z.literal('Issuer'),
  metadata,
  spec: z.strictObject({
    acme: z.strictObject({
      server: z.url({ protocol: /^https$/ }),
      email: z.email(),
      privateKeySecretRef: z.strictObject({ name: z.string().min(1) }),
      solvers: z
        .array(
          z.strictObject({
            http01: z.strictObject({
              ingress: z.strictObject({ class: z.string().optional(), ingressClassName: z.string().optional(), serviceType: z.enum(['ClusterIP', 'NodePort']).optional() }),
            }),
          }),
        )
        .min(1),
    }),
  }),
});

export const CertificateSchema = z.strictObject({
  apiVersion: z.literal('cert-manager.io/v1'),
  kind: z.literal('Certificate'),
  metadata,
  spec: z.strictObject({
    secretName: z.string().min(1),
    dnsNames: z.array(z.string().min(1)).min(1),
    issuerRef: z.strictObject({ name: z.string().min(1), kind: z.enum(['Issuer', 'ClusterIssuer']), group: z.string().optional() }),
    duration: z.string().optional(),
    renewBefore: z.string().optional(),
  }),
});

export const ObjectStorageBucketSchema = z.strictObject({
  apiVersion: z.literal('objectstorage.sealos.io/v1'),
  kind: z.literal('ObjectStorageBucket'),
  metadata,
  spec: z.strictObject({ policy: z.enum(['private', 'publicRead', 'publicReadwrite']) }),
});

/** `apiVersion/kind` → schema for every custom resource this tool accepts. */
export const CR_SCHEMAS: Record<string, z.ZodType> = {
  'app.sealos.io/v1/App': AppCrSchema,
  'app.sealos.io/v1/Template': TemplateCrSchema,
  'app.sealos.io/v1/Instance': InstanceCrSchema,
  'apps.kubeblocks.io/v1alpha1/Cluster': KubeBlocksClusterSchema,
  'cert-manager.io/v1/Issuer': IssuerSchema,
  'cert-manager.io/v1/Certificate': CertificateSchema,
  'objectstorage.sealos.io/v1/ObjectStorageBucket': ObjectStorageBucketSchema,
};
