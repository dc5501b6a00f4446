/**
 * Security headers on every response (CSP, framing, content-type sniffing). Servlet API only.
 */
package io.tally.scoreboard.web;
