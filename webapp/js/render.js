// Shared rendering. Every name typed by a scorer goes through textContent: never HTML.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('data-') || k.startsWith('aria-') || k === 'role' || k === 'id' || k === 'href' || k === 'type' || k === 'title') node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) if (c != null) node.append(c);
  return node;
}

/** Sets text; flashes the element when the value changed (not on first render). */
export function setText(node, value, flash = true) {
  const text = String(value);
  if (node.textContent === text) return false;
  const first = node.textContent === '';
  node.textContent = text;
  if (flash && !first) {
    node.classList.remove('flash');
    void node.offsetWidth; // restart the animation when it is already running
    node.classList.add('flash');
  }
  return true;
}

export function wireFlashCleanup(root) {
  root.addEventListener('animationend', (e) => e.target.classList.remove('flash'));
}

const STATUS = { scheduled: 'Scheduled', live: 'Live', break: 'Break', final: 'Final' };
export function statusLabel(s) {
  return STATUS[s] || s;
}

/**
 * The status badge: LIVE, HT (a half-time break; other breaks say BREAK), FT, and for a scheduled
 * game its start time (or "Scheduled" without one).
 */
export function badge(game, now = new Date()) {
  switch (game.status) {
    case 'live': return 'LIVE';
    case 'final': return 'FT';
    case 'break': return halfTime(game) ? 'HT' : 'BREAK';
    case 'scheduled': return game.startsAt && startTime(game.startsAt, now) || 'Scheduled';
    default: return statusLabel(game.status);
  }
}

function halfTime(game) {
  if (game.sport === 'soccer') return true;
  return /half|^h\d$|^ht$/i.test(game.period || '');
}

/** "19:00" today, "Wed 19:00" within a week, "Wed 2 Dec 19:00" otherwise; '' when not a date. */
export function startTime(iso, now = new Date()) {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const time = at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const sameDay = at.toDateString() === now.toDateString();
  if (sameDay) return time;
  const days = Math.abs(at - now) / 86400000;
  const day = days < 6
    ? at.toLocaleDateString(undefined, { weekday: 'short' })
    : at.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
  return `${day} ${time}`;
}

/** The clock's milliseconds at server time `now`, or null when the game has no clock. */
export function clockMs(clock, now) {
  if (!clock || typeof clock.ms !== 'number') return null;
  if (!clock.running || typeof clock.at !== 'number') return Math.max(0, clock.ms);
  const elapsed = Math.max(0, now - clock.at);
  return clock.direction === 'up' ? clock.ms + elapsed : Math.max(0, clock.ms - elapsed);
}

/** m:ss (h:mm:ss from an hour); a clock counting down shows tenths in its last minute. */
export function formatClock(ms, direction) {
  if (direction !== 'up' && ms < 60000) {
    const tenths = Math.floor(ms / 100);
    return `${Math.floor(tenths / 10)}.${tenths % 10}`;
  }
  const total = direction === 'up' ? Math.floor(ms / 1000) : Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A team's colour when it is a well-formed #rrggbb, else null (it is set through CSSOM, never markup). */
export function teamColor(team) {
  const c = team && team.color;
  return typeof c === 'string' && /^#[0-9a-f]{6}$/i.test(c) ? c : null;
}

/** Black or white, whichever reads better on `hex`. */
export function inkOn(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  const l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return l > 0.179 ? '#000000' : '#ffffff';
}

/** Paints a team's colour (a CSS custom property) on `node`, or removes it. */
export function paintTeam(node, team) {
  const c = teamColor(team);
  if (c) {
    node.style.setProperty('--team', c);
    node.style.setProperty('--team-ink', inkOn(c));
    node.dataset.colored = 'true';
  } else {
    node.style.removeProperty('--team');
    node.style.removeProperty('--team-ink');
    delete node.dataset.colored;
  }
}

/** A sport id as words ("american-football" -> "american football"; CSS capitalises). */
export function sportName(sport) {
  return String(sport || '').replace(/-/g, ' ');
}

/** The team's short name ("LAL"), or '' when it has none (then only the name is shown). */
export function shortName(team) {
  return typeof team.short === 'string' ? team.short : '';
}

/** Set scores as "25–22  18–12" (the last entry is the set in play), or '' for sports without sets. */
export function setsText(game) {
  if (!Array.isArray(game.sets) || game.sets.length === 0) return '';
  return game.sets.map((s) => `${s.home}–${s.away}`).join('  ');
}

/** One log entry in words, for the event list and for screen readers. */
export function describeEvent(e, game) {
  const team = e.team ? (e.team === 'home' ? game.home.name : game.away.name) : '';
  switch (e.type) {
    case 'score':
      if (e.set != null) return `${team} score set to ${e.set}`;
      return `${team} ${e.points > 0 ? '+' : ''}${e.points} (${e.score})`;
    case 'period': return e.period ? `Period: ${e.period}` : 'Period cleared';
    case 'status': return `Status: ${statusLabel(e.status)}`;
    case 'point': return `${team} point`;
    case 'clock': return e.action === 'start' ? 'Clock started' : e.action === 'stop' ? 'Clock stopped' : 'Clock set';
    case 'undo': {
      // Name what was undone, not a number: list numbering and versions need not agree.
      const undone = (game.log || []).find((x) => x.version === e.undoes && x.type !== 'undo');
      return undone ? `Undo: ${describeEvent(undone, game)}` : `Undo of event ${e.undoes}`;
    }
    default: return e.type;
  }
}

/**
 * The game id of this page: /games/{id}, /embed/{id} or ?id=. A shared link often gains a trailing
 * slash (or %2F) or spaces: those are dropped. Returns {id} when well-formed, {error} otherwise.
 */
export function gameRef(loc = location) {
  const m = /\/(?:games|embed)\/([^?#]*)$/.exec(loc.pathname);
  let raw = m ? safeDecode(m[1]) : new URLSearchParams(loc.search).get('id');
  if (raw == null || raw.trim() === '') return { error: 'missing' };
  raw = raw.trim().replace(/\/+$/, '').toLowerCase();
  return /^[a-z0-9][a-z0-9-]{0,39}$/.test(raw) ? { id: raw } : { error: 'invalid' };
}

function safeDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch (e) {
    return s;
  }
}

/** The page's game id, or null when it has none or a malformed one (see gameRef). */
export function gameIdFromLocation(loc = location) {
  return gameRef(loc).id || null;
}
