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

const STATUS = { scheduled: 'Scheduled', live: 'Live', final: 'Final' };
export function statusLabel(s) {
  return STATUS[s] || s;
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
    case 'undo': return `Undo of #${e.undoes}`;
    default: return e.type;
  }
}

export function gameIdFromLocation() {
  return new URLSearchParams(location.search).get('id');
}
