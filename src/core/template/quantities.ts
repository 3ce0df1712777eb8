import { DeployError } from '../errors.js';

/**
 * CPU and memory limits, and App Launchpad's requests: 10 % of each limit, rounded down
 * (reference §4.4), so Launchpad's sliders and HPA percentages read our workloads correctly.
 */

function bad(what: string, value: string, example: string): DeployError {
  return new DeployError('USAGE', `${what} "${value}" is not a Kubernetes quantity this tool accepts.`, `Use a value such as ${example}.`);
}

export function cpuMillicores(value: string): number {
  const m = /^([0-9]+)m$/.exec(value) ?? null;
  if (m) return Number(m[1]);
  if (/^[0-9]+(\.[0-9]{1,3})?$/.test(value)) return Math.round(Number(value) * 1000);
  throw bad('CPU', value, "'500m' or '1'");
}

export function memoryMi(value: string): number {
  const m = /^([0-9]+)(Mi|Gi|M|G)$/.exec(value);
  if (!m) throw bad('Memory', value, "'512Mi' or '1Gi'");
  const n = Number(m[1]);
  const unit = m[2];
  return unit === 'Gi' ? n * 1024 : unit === 'G' ? Math.floor((n * 1e9) / 1048576) : unit === 'M' ? Math.floor((n * 1e6) / 1048576) : n;
}

export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export function launchpadResources(cpu: string, memory: string): Resources {
  const mc = cpuMillicores(cpu);
  const mi = memoryMi(memory);
  if (mc < 10 || mc > 64000) throw bad('CPU', cpu, "'100m' to '64'");
  if (mi < 16 || mi > 262144) throw bad('Memory', memory, "'64Mi' to '256Gi'");
  return {
    requests: { cpu: `${Math.max(1, Math.floor(mc * 0.1))}m`, memory: `${Math.max(1, Math.floor(mi * 0.1))}Mi` },
    limits: { cpu, memory },
  };
}

/** Storage size for a volume claim; the PVC annotation `value` is the plain number of Gi when it is whole. */
export function storageSize(size: string): { quantity: string; annotation: string } {
  const m = /^([0-9]+)(Mi|Gi|Ti)$/.exec(size);
  if (!m || Number(m[1]) === 0) throw bad('Storage size', size, "'1Gi'");
  return { quantity: size, annotation: m[2] === 'Gi' ? (m[1] as string) : size };
}
