import { describe, expect, it } from 'vitest';
import { createListeners } from '../../src/core/listeners';

describe('createListeners', () => {
  it('a listener that throws stops neither the others nor the emitter, and is reported', () => {
    const reported: [string, unknown][] = [];
    const listeners = createListeners<number>('test event', (event, error) =>
      reported.push([event, error]),
    );
    const seen: string[] = [];
    const failure = new Error('listener broke');
    listeners.add((n) => seen.push(`a${n}`));
    listeners.add(() => {
      throw failure;
    });
    listeners.add((n) => seen.push(`c${n}`));
    expect(() => listeners.emit(1)).not.toThrow();
    expect(seen).toEqual(['a1', 'c1']);
    expect(reported).toEqual([['test event', failure]]);
  });

  it('adds once, unsubscribes, and changes during an emit count from the next one', () => {
    const listeners = createListeners<string>('test event');
    const seen: string[] = [];
    const late = (value: string) => seen.push(`late ${value}`);
    const first = (value: string) => {
      seen.push(`first ${value}`);
      listeners.add(late);
    };
    const stop = listeners.add(first);
    listeners.add(first);
    expect(listeners.size).toBe(1);
    listeners.emit('one');
    expect(seen).toEqual(['first one']);
    stop();
    listeners.emit('two');
    expect(seen).toEqual(['first one', 'late two']);
    listeners.clear();
    listeners.emit('three');
    expect(listeners.size).toBe(0);
    expect(seen).toEqual(['first one', 'late two']);
  });
});
