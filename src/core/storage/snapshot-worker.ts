/**
 * The body of a snapshot Worker: a `createSnapshotReplica` answering the page's messages (see
 * snapshot-maker.ts). Started by `createWorkerSnapshotMaker` with the app's `new Worker(...)`.
 */
import type { SnapshotWorkerReply, SnapshotWorkerRequest } from './snapshot-maker';
import { createSnapshotReplica } from './snapshot-replica';

interface WorkerScope {
  postMessage(message: SnapshotWorkerReply, transfer?: Transferable[]): void;
  addEventListener(
    type: 'message',
    listener: (event: MessageEvent<SnapshotWorkerRequest>) => void,
  ): void;
}

const scope = globalThis as unknown as WorkerScope;
const replica = createSnapshotReplica();

scope.addEventListener('message', ({ data }) => {
  const answer = replica(data);
  if (answer) scope.postMessage(answer.reply, answer.transfer);
});
