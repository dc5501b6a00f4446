/** HTTP conventions shared by every servlet: problem+json answers. Servlet API and the JSON codec only. */
package io.tally.http;
