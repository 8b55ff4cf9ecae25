/**
 * A private three-master Redis Cluster on loopback ports, for tests that must show the service
 * runs on a cluster: every key a script touches must then hash to one slot.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stopAll } from './processes.js';
import { freePort } from './redis-server.js';
import { waitFor } from './wait.js';

export interface TestCluster {
  /** The service's form: redis+cluster://host:port,host:port,host:port */
  url: string;
  ports: number[];
  stop(): Promise<void>;
}

function send(port: number, command: string): Promise<string> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    let out = '';
    c.setTimeout(1_000, () => c.destroy());
    c.on('connect', () => c.write(`${command}\r\n`));
    c.on('data', (d) => {
      out += d.toString();
      if (out.endsWith('\r\n') && (out[0] !== '$' || out.split('\r\n').length > 2)) c.destroy();
    });
    c.on('close', () => resolve(out));
    c.on('error', () => resolve(''));
  });
}

export async function startRedisCluster(masters = 3): Promise<TestCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-test-cluster-'));
  const procs: ChildProcess[] = [];
  const ports: number[] = [];
  for (let i = 0; i < masters; i++) {
    // The bus port is set explicitly: the default (port + 10000) may not exist for high ports.
    const [port, bus] = [await freePort(), await freePort()];
    ports.push(port);
    const nodeDir = path.join(dir, String(port));
    fs.mkdirSync(nodeDir);
    procs.push(
      spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--cluster-port',
          String(bus),
          '--bind',
          '127.0.0.1',
          '--dir',
          nodeDir,
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          '--save',
          '',
          '--appendonly',
          'no',
          '--maxmemory-policy',
          'noeviction',
        ],
        { stdio: 'ignore' },
      ),
    );
  }
  const stop = async () => {
    await stopAll(procs);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports)
      await waitFor(
        async () => (await send(port, 'PING')).startsWith('+PONG'),
        10_000,
        `redis-server on ${port}`,
      );
    const create = spawnSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (create.status !== 0)
      throw new Error(`redis-cli --cluster create failed:\n${create.stdout}${create.stderr}`);
    for (const port of ports)
      await waitFor(
        async () => (await send(port, 'CLUSTER INFO')).includes('cluster_state:ok'),
        20_000,
        `cluster_state:ok on ${port}`,
      );
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`, ports, stop };
}
