/**
 * Small facts about the network that more than one part of core needs.
 *
 * Contract:
 * - `originAnswers(fetch, origin, scheduler?)` resolves true when a server answers at
 *   `origin` at all, false when nothing does (or not within 5 s, when a scheduler is given). It
 *   is a `no-cors` request for the origin's root: no credentials, headers, body or referrer,
 *   nothing of the request that failed but its origin. A fetch that failed without an answer
 *   while this resolves true was refused by CORS. Never rejects.
 */
export { ORIGIN_PROBE_TIMEOUT_MS, originAnswers } from './origin-probe';
