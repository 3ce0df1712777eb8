import type { K8sObject } from './labels.js';

/** What the user (or the build step) decides at render time; everything else comes from the analysis. */
export interface RenderInputs {
  /** Base name; defaults to the package name, sanitized to DNS-1123 and at most 40 characters. */
  appName?: string;
  /** Exact image reference from build-result or the user; `latest` and untagged refs are refused. */
  image: string;
  replicas?: number;
  /** CPU limit (requests are 10 %), default '500m'. */
  cpu?: string;
  /** Memory limit (requests are 10 %), default '512Mi'. */
  memory?: string;
  customDomain?: string;
  /** The image is private: pods pull with the Secret named after the app instance (created at deploy). */
  imagePullSecret?: boolean;
  gitRepo?: string;
  description?: string;
  healthPath?: string;
  /** A persistent volume; turns the workload into a StatefulSet. */
  storage?: { mountPath: string; size: string };
  /** PostgreSQL database the app uses; default: the app name with underscores. `postgres` skips the init Job. */
  databaseName?: string;
}

export interface RenderResult {
  yaml: string;
  documents: K8sObject[];
  warnings: string[];
  /** Names of the template's inputs (values are given at deploy time). */
  inputs: string[];
}

/** Literal `${{ }}` references the rendered resources use. */
export const APP = '${{ defaults.app_name }}';
export const APP_HOST = '${{ defaults.app_host }}';
export const PUBLIC_HOST = '${{ defaults.app_host }}.${{ SEALOS_CLOUD_DOMAIN }}';
export const PUBLIC_URL = `https://${PUBLIC_HOST}`;
export const input = (name: string): string => `\${{ inputs.${name} }}`;
