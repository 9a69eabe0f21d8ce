import { describe, expect, it } from 'vitest';
import { createRepeatWindow } from './repeat-window.js';

describe('createRepeatWindow', () => {
  it('remembers nothing when the window is off (no growth under distinct numbers)', () => {
    const w = createRepeatWindow(0);
    for (let i = 0; i < 1000; i++) w.record(String(14155550000 + i), i);
    expect(w.size).toBe(0);
    expect(w.isRepeat('14155550000', 1)).toBe(false);
  });

  it('answers repeats inside the window only, and drops what has left it', () => {
    const w = createRepeatWindow(1000);
    w.record('14155550100', 0);
    expect(w.isRepeat('14155550100', 999)).toBe(true);
    expect(w.isRepeat('14155550100', 1000)).toBe(false);
    expect(w.isRepeat('14155550101', 10)).toBe(false);
    for (let i = 0; i < 500; i++) w.record(String(14155560000 + i), 2000 + i);
    expect(w.size).toBe(500); // the entry from t=0 is gone
    w.record('14155570000', 5000);
    expect(w.size).toBe(1);
    w.clear();
    expect(w.size).toBe(0);
  });

  it('keeps at most maxEntries, forgetting the oldest first', () => {
    const w = createRepeatWindow(60_000, 10);
    for (let i = 0; i < 25; i++) w.record(String(14155550000 + i), i);
    expect(w.size).toBe(10);
    expect(w.isRepeat('14155550024', 30)).toBe(true);
    expect(w.isRepeat('14155550000', 30)).toBe(false);
  });
});
