import { type WorkerSettings } from '@userpipe/shared';
import type { TestStack } from '@userpipe/shared/testing';
import { type RunningWorker } from './startWorker';
/** Starts a real worker against a test stack; it is stopped when the stack is disposed. */
export declare function startTestWorker(stack: TestStack, overrides?: Partial<Record<keyof WorkerSettings, string>>): Promise<RunningWorker>;
