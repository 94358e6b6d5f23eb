/**
 * The share of CPU time the hypervisor gave to other machines (`steal` in /proc/stat) while a measurement
 * ran: on a shared virtual machine a latency tail can come from there rather than from the code measured.
 * Linux only; null elsewhere.
 */
import { readFileSync } from 'node:fs';

export interface CpuTimes {
  steal: number;
  total: number;
}

export function readCpuTimes(): CpuTimes | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already counted in user.
    return { steal: fields[7] ?? 0, total: fields.slice(0, 8).reduce((sum, value) => sum + value, 0) };
  } catch {
    return null;
  }
}

/** Percentage of all CPU time between the two readings that was stolen. */
export function stealPercent(before: CpuTimes | null, after: CpuTimes | null): number | null {
  if (!before || !after || after.total <= before.total) return null;
  return Number(((100 * (after.steal - before.steal)) / (after.total - before.total)).toFixed(1));
}
