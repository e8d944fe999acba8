/** Messages between the relay load test and its relay instances (./instance.ts, ./spawn.ts). */

export type ToInstance =
  | { readonly type: 'stats'; readonly gc: boolean }
  | { readonly type: 'close' };

export interface InstanceReady {
  readonly type: 'ready';
  readonly port: number;
}

export interface InstanceStats {
  readonly type: 'stats';
  /** process.memoryUsage() of the instance, bytes. */
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
  /** CPU time the instance has used since it started (user + system), ms. */
  readonly cpuMs: number;
  readonly rooms: number;
  readonly connections: number;
  /** Stored bytes of the loaded rooms' documents, summed. */
  readonly storedBytes: number;
  /** Refusals by reason (Coffer's relay only; a plain server refuses nothing). */
  readonly refused: Readonly<Record<string, number>>;
}

export type FromInstance = InstanceReady | InstanceStats;
