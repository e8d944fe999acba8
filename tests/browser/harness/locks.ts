/** Lock-module bindings for browser tests (filled in by the lock module's work). */
export const locks = {};
