// The console's shared state and page elements: one place the other modules read and change.
export const TOKEN_KEY = 'tally.scorer-token';
export const $ = (x) => document.getElementById(x);
export const errorBox = $('console-error');
export const messageBox = $('console-message');
export const select = $('game-select');
export const scorer = $('scorer');

// Keys for the score buttons, in button order (the last is the -1 correction).
export const KEYS = { home: ['q', 'w', 'e', 'r', 't'], away: ['u', 'i', 'o', 'p', '['] };
const STATUS = { scheduled: 'Scheduled', live: 'Live', break: 'Break', final: 'Final' };
export const statusLabel = (s) => STATUS[s] || s;
const FALLBACK_SPORT = { id: 'custom', name: 'Other', buttons: [1, 2, 3], periods: [], clock: { direction: 'up', periodMs: null }, sets: false };

export const state = {
  live: null,
  current: null,      // the game on screen
  view: null,         // the chosen game's state (livegame.js: snapshot, live messages, API answers)
  roomSub: null,      // live subscription to the chosen game's room
  queue: Promise.resolve(),
  sports: [FALLBACK_SPORT],
  session: null,      // {role: 'admin'} or {role: 'scorer', game} once a token is accepted
  builtFor: null,     // the sport and status the score buttons were last built for
};

export const sportOf = (id) => state.sports.find((s) => s.id === id) || state.sports.find((s) => s.id === 'custom') || FALLBACK_SPORT;
export const serverNow = () => (state.live && typeof state.live.serverNow === 'function' ? state.live.serverNow() : Date.now());

// The token: this tab only (sessionStorage), or this device when asked (localStorage).
export const token = () => sessionStorage.getItem(TOKEN_KEY) || localStorage.getItem(TOKEN_KEY);
