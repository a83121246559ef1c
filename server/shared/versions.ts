/** Optimistic concurrency: which versions of a record a change may apply to. */

/** Versions named by If-Match; 'any' for changes that need no If-Match (still one atomic statement). */
export type ExpectedVersions = readonly number[] | 'any';
