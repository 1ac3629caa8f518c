/** kafkajs ships no types for its internal request queue. */
declare const RequestQueue: new (options: Record<string, unknown>) => unknown;
export default RequestQueue;
