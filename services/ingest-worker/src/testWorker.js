"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.startTestWorker = startTestWorker;
const shared_1 = require("@userpipe/shared");
const startWorker_1 = require("./startWorker");
/** Starts a real worker against a test stack; it is stopped when the stack is disposed. */
async function startTestWorker(stack, overrides = {}) {
    const settings = stack.settings(overrides);
    const worker = await (0, startWorker_1.startWorker)(settings, (0, shared_1.createLogger)('ingest-worker', settings.LOG_LEVEL));
    let stopped = false;
    const stop = worker.stop.bind(worker);
    worker.stop = async () => {
        if (stopped)
            return;
        stopped = true;
        await stop();
    };
    stack.onDispose(() => worker.stop());
    return worker;
}
//# sourceMappingURL=testWorker.js.map