/** Concurrency and rate helpers shared by every package: thread factories, the token bucket. Depends on nothing of ours. */
package io.tally.concurrent;
