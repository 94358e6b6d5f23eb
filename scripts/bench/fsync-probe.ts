/**
 * How long this machine's disk takes to make 8 KB durable (a write and fdatasync, what PostgreSQL does to its
 * WAL at every commit), sampled for a few seconds while nothing else runs. A durable ingest answers only after
 * its commit, so this tail is a floor under any durable server's p99: a 40 ms flush delays every request that
 * waits on it. The file lives in the OS temporary directory; `sameDeviceAsDatabase` says whether that is the
 * disk the database writes to (null when the database's directory cannot be inspected from here).
 */
import { closeSync, fdatasyncSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FsyncFigures {
  samples: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  /** Flushes that took longer than 10 ms. */
  over10ms: number;
  sameDeviceAsDatabase: boolean | null;
}

const BLOCK = Buffer.alloc(8192, 'x');
const OFFSETS = 1000;

function sameDevice(path: string, databaseDirectory: string | null): boolean | null {
  if (!databaseDirectory) return null;
  try {
    return statSync(path).dev === statSync(databaseDirectory).dev;
  } catch {
    return null;
  }
}

export async function probeFsync(seconds: number, databaseDirectory: string | null): Promise<FsyncFigures> {
  const path = join(tmpdir(), `conversa-fsync-probe-${process.pid}`);
  const fd = openSync(path, 'w');
  const latencies: number[] = [];
  try {
    const end = performance.now() + seconds * 1000;
    for (let i = 0; performance.now() < end; i++) {
      writeSync(fd, BLOCK, 0, BLOCK.length, (i % OFFSETS) * BLOCK.length);
      const started = performance.now();
      fdatasyncSync(fd);
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  } finally {
    closeSync(fd);
  }
  const device = sameDevice(path, databaseDirectory);
  unlinkSync(path);
  latencies.sort((a, b) => a - b);
  const at = (p: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(2));
  return {
    samples: latencies.length,
    p50: at(0.5),
    p99: at(0.99),
    p999: at(0.999),
    max: Number(latencies[latencies.length - 1].toFixed(2)),
    over10ms: latencies.filter((ms) => ms > 10).length,
    sameDeviceAsDatabase: device,
  };
}
