/** The browserless user agent lives beside the benchmark, which drives the same flows; tests use it from here. */
export * from '../../scripts/bench/user-agent.js';
