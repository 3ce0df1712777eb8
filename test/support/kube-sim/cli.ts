/**
 * Standalone simulator for manual use and scripts:
 *   npm run kube-sim -- --port 8081 --kubeconfig-out /tmp/sim.kubeconfig [--namespace ns-test] [--token t] [--http]
 * Runs in the foreground, writes the kubeconfig (token auth, context namespace), prints `ready`
 * once it listens, and exits cleanly on SIGINT/SIGTERM. Serves https with the test CA by default
 * because kubectl does not send bearer tokens over plain http; `--http` for http clients only.
 */
import { parseArgs } from 'node:util';
import { startKubeSim } from './index.js';

function fail(message: string): never {
  process.stderr.write(`kube-sim: ${message}\n`);
  process.exit(2);
}

let values: { port?: string; 'kubeconfig-out'?: string; namespace?: string; token?: string; http?: boolean; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string' },
      'kubeconfig-out': { type: 'string' },
      namespace: { type: 'string' },
      token: { type: 'string' },
      http: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (e) {
  fail(`${(e as Error).message}\nusage: kube-sim --port <n> --kubeconfig-out <file> [--namespace ns-test] [--token <t>] [--http]`);
}

if (values.help) {
  process.stdout.write('usage: kube-sim --port <n> --kubeconfig-out <file> [--namespace ns-test] [--token <t>] [--http]\n');
  process.exit(0);
}
const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be an integer between 0 and 65535, got "${values.port}"`);
if (!values['kubeconfig-out']) fail('--kubeconfig-out <file> is required (the kubeconfig to write for clients)');

const sim = await startKubeSim({
  port,
  ...(values.namespace ? { namespace: values.namespace } : {}),
  ...(values.token ? { token: values.token } : {}),
  tls: !values.http,
});
try {
  sim.writeKubeconfig(values['kubeconfig-out']);
} catch (e) {
  await sim.close();
  fail(`cannot write kubeconfig: ${(e as Error).message}`);
}
process.stdout.write(`kube-sim listening on ${sim.url} (namespace ${sim.namespace}), kubeconfig ${values['kubeconfig-out']}\n`);
process.stdout.write('ready\n');

const shutdown = () => {
  void sim.close().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
