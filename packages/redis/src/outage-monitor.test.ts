import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOutageMonitor, type OutageMonitorOptions } from './outage-monitor.js';

function spyLogger() {
  return { warn: vi.fn(), error: vi.fn(), info: vi.fn() };
}

function setup(overrides: Partial<OutageMonitorOptions> = {}) {
  const logger = spyLogger();
  let serving = false;
  const probed: (string | undefined)[] = [];
  const monitor = createOutageMonitor({
    logger,
    fallbackDescription: 'misses',
    probeIntervalMs: 1000,
    maxProbeIntervalMs: 4000,
    now: Date.now,
    probe: async (key) => {
      probed.push(key);
      if (!serving) throw new Error('still down');
    },
    ...overrides,
  });
  return {
    logger,
    monitor,
    probed,
    serve: () => {
      serving = true;
    },
  };
}

describe('createOutageMonitor', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('logs once per outage, probes the first failed key at growing pauses, logs the recovery once', async () => {
    const { logger, monitor, probed, serve } = setup();
    expect(monitor.available).toBe(true);
    monitor.failed(Object.assign(new Error('connect refused'), { code: 'ECONNREFUSED' }), 'k1');
    monitor.failed(new Error('again'), 'k2');
    monitor.skipped();
    monitor.skipped();
    expect(monitor.available).toBe(false);
    expect(monitor.downSince).toBe(1_000_000);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]?.[0]).toContain('ECONNREFUSED: connect refused');
    expect(logger.warn.mock.calls[0]?.[0]).toContain('misses');

    // Pauses 1 s, 2 s, 4 s, then 4 s (the cap) between failing probes.
    await vi.advanceTimersByTimeAsync(999);
    expect(probed).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(probed).toEqual(['k1']);
    await vi.advanceTimersByTimeAsync(2000);
    expect(probed).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(4000);
    expect(probed).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(3999);
    expect(probed).toHaveLength(3);
    serve();
    await vi.advanceTimersByTimeAsync(1);
    expect(probed).toEqual(['k1', 'k1', 'k1', 'k1']);
    expect(monitor.available).toBe(true);
    expect(logger.info).toHaveBeenCalledTimes(1);
    expect(logger.info.mock.calls[0]?.[0]).toMatch(/after 11000 ms \(2 store calls skipped/);
    expect(logger.warn).toHaveBeenCalledTimes(1);

    // No more probes once Redis serves; a new failure is a new outage, probed after 1 s.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(probed).toHaveLength(4);
    monitor.failed(new Error('down again'), undefined);
    expect(logger.warn).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(probed).toEqual(['k1', 'k1', 'k1', 'k1', undefined]);
    expect(logger.info).toHaveBeenCalledTimes(2);
  });

  it('probes the first key seen when the outage began without one (a connection error)', async () => {
    const { monitor, probed, serve } = setup();
    monitor.failed(new Error('connection lost'), undefined);
    monitor.failed(new Error('refused'), 'k1');
    monitor.failed(new Error('refused'), 'k2');
    serve();
    await vi.advanceTimersByTimeAsync(1000);
    expect(probed).toEqual(['k1']);
  });

  it('stops probing when closed', async () => {
    const { logger, monitor, probed } = setup();
    monitor.failed(new Error('down'), 'k');
    monitor.close();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(probed).toEqual([]);
    monitor.failed(new Error('down'), 'k');
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('falls back to warn without info and survives a throwing logger', async () => {
    const logger = {
      warn: vi.fn(() => {
        throw new Error('broken');
      }),
      error: vi.fn(),
    };
    const { monitor, serve } = setup({ logger });
    expect(() => monitor.failed(new Error('down'), 'k')).not.toThrow();
    serve();
    await vi.advanceTimersByTimeAsync(1000);
    expect(monitor.available).toBe(true);
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });
});
