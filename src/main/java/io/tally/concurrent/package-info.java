/** Concurrency helpers shared by every package (thread factories). Depends on nothing of ours. */
package io.tally.concurrent;
