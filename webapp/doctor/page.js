// The doctor page's rendering and the small helpers every check shares. All text reaches the page
// through textContent; nothing is parsed as HTML.

export const WELCOME_TIMEOUT_MS = 8000;
export const FETCH_TIMEOUT_MS = 10000;

export const params = new URLSearchParams(location.search);
export const base = new URL('..', document.baseURI);   // the webapp root, whatever its context path
export const api = path => new URL('doctor/api/' + path, base);

export const sleep = ms => new Promise(r => setTimeout(r, ms));
export const median = xs => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : NaN; };
export const now = () => performance.now();
export const ms = x => `${Math.round(x)} ms`;
export const numberParam = (name, dflt, max) => {
  const asked = params.get(name);
  return asked === null ? dflt : Math.min(max, Math.max(0, Math.floor(Number(asked)) || 0));
};

/** ws: or wss: URL of /live/ws, as a viewer on this page would open it. */
export function liveWsUrl() {
  const url = new URL('live/ws', base);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return url;
}

/** Who produced an HTTP answer: Tally (its answers are JSON), nginx (Server header or error page) or the load balancer. */
export function answeredBy(res, text) {
  if ((res.headers.get('content-type') || '').toLowerCase().includes('json')) return 'Tally';
  if ((res.headers.get('server') || '').toLowerCase().startsWith('nginx') || /nginx/i.test(text || '')) return 'nginx';
  return 'the load balancer';
}

export async function getJson(url, init = {}) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), FETCH_TIMEOUT_MS);
  try {
    const res = await fetch(url, { cache: 'no-store', credentials: 'same-origin', ...init, signal: ctl.signal });
    let body = null;
    try { body = await res.json(); } catch { body = null; }
    return { status: res.status, body };
  } catch (e) {
    return { status: 0, body: null, error: e.name === 'AbortError' ? `no answer within ${FETCH_TIMEOUT_MS / 1000} s` : String(e.message || e) };
  } finally {
    clearTimeout(timer);
  }
}

// ---- rendering -------------------------------------------------------------------------------

function setFix(el, fix, docs = []) {
  const f = el.querySelector('.fix');
  const links = docs.filter(d => /^https:\/\//.test(d)).map(d => {
    const a = document.createElement('a');
    a.href = d;
    a.rel = 'noopener';
    a.textContent = d;
    return a;
  });
  f.replaceChildren(...(fix ? ['Fix: ' + fix] : []));
  if (fix && links.length) {
    f.append(' See: ');
    links.forEach((a, i) => f.append(...(i ? [', ', a] : [a])));
  }
  f.hidden = !fix;
}

/**
 * The element of a check. findings is the catalogue of GET /doctor/api/findings (id → severity,
 * title, fix, docs): a check reports a finding by its id and says what it measured.
 */
export function check(id, findings) {
  const el = document.getElementById('check-' + id);
  const set = (status, summary, fix, details = [], docs = []) => {
    el.dataset.status = status;
    el.querySelector('.badge').textContent = status;
    el.querySelector('.summary').textContent = summary;
    setFix(el, fix, docs);
    el.querySelector('.details').replaceChildren(...details.filter(Boolean).map(d => {
      const li = document.createElement('li');
      li.textContent = d;
      return li;
    }));
  };
  return {
    el,
    running(text) {
      el.dataset.status = 'running';
      el.querySelector('.badge').textContent = 'running';
      el.querySelector('.summary').textContent = text;
    },
    /** A check that passed, or a verdict the server judged (its status, summary and fix). */
    set,
    /** A finding of the catalogue; `also` names more findings whose fixes apply too. */
    report(findingId, summary, details = [], also = []) {
      const ids = [findingId, ...also];
      const known = ids.map(i => findings?.[i]).filter(Boolean);
      const f = findings?.[findingId];
      const fix = known.length === ids.length
        ? known.map(k => k.fix).join(' ')
        : `The fix text did not load (/doctor/api/findings): see "${findingId}" in docs/DOCTOR.md.`;
      set(f?.severity || 'fail', summary, fix, details, known.flatMap(k => k.docs || []));
    },
    /** A verdict the server judged, with the fix of the catalogue when it names a finding. */
    verdict(v, details) {
      const f = v.finding && findings?.[v.finding];
      set(v.status, v.summary, f ? f.fix : v.fix, details, f?.docs || []);
    },
  };
}

export function reset() {
  for (const el of document.querySelectorAll('.check')) {
    el.dataset.status = 'running';
    el.querySelector('.badge').textContent = 'running';
    el.querySelector('.fix').hidden = true;
    el.querySelector('.details').replaceChildren();
  }
}

export function summarize() {
  const statuses = [...document.querySelectorAll('.check')].map(el => el.dataset.status);
  const count = s => statuses.filter(x => x === s).length;
  const worst = count('fail') ? 'fail' : count('warn') ? 'warn' : 'pass';
  const summary = document.getElementById('summary');
  summary.dataset.status = worst;
  summary.dataset.done = 'true';
  document.getElementById('summary-badge').textContent = worst;
  document.getElementById('summary-text').textContent =
    `${count('pass')} passed, ${count('warn')} warned, ${count('fail')} failed` +
    ` — checked ${new Date().toLocaleTimeString()} from ${location.origin}`;
  document.getElementById('rerun').disabled = false;
}
