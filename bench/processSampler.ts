// Watches a process through /proc (Linux): resident memory (VmRSS) sampled on a timer, and CPU time
// used, so the benchmark can say how big the worker grows and which process is busy.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

export interface ProcessSampler {
  /** Resident set size now, in MB. */
  rssMb(): number;
  /** Largest RSS seen since start, in MB. */
  peakRssMb(): number;
  /** CPU seconds (user + system) the process has used so far. */
  cpuSeconds(): number;
  stop(): void;
}

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      // getconf is missing on some minimal images; 100 is Linux's value on every common architecture.
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

export function readRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kb) / 1024;
}

export function readCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name in parentheses may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / clockTicks();
}

export function sampleProcess(pid: number, everyMs = 200): ProcessSampler {
  let peak = 0;
  let last = 0;
  const sample = () => {
    try {
      last = readRssMb(pid);
      peak = Math.max(peak, last);
    } catch {
      // The process has exited; keep the last reading.
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    rssMb() {
      sample();
      return last;
    },
    peakRssMb: () => peak,
    cpuSeconds: () => readCpuSeconds(pid),
    stop: () => clearInterval(timer),
  };
}
