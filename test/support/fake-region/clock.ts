import type { Clock } from '../../../src/core/ports.js';

/** A clock whose sleep advances virtual time at once, so device-grant polling tests never wait. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  private t: number;

  constructor(start = Date.parse('2026-01-01T00:00:00Z')) {
    this.t = start;
  }

  now(): Date {
    return new Date(this.t);
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    this.sleeps.push(ms);
    this.t += ms;
  }

  advance(ms: number): void {
    this.t += ms;
  }
}
