#!/usr/bin/env python3
"""Top frames of a JFR recording's CPU samples: self time (top frame) and inclusive time (any frame).
Usage: bench/jfr-top.py FILE.jfr [N] [filter-substring]"""
import collections, subprocess, sys
f = sys.argv[1]; n = int(sys.argv[2]) if len(sys.argv) > 2 else 25; flt = sys.argv[3] if len(sys.argv) > 3 else None
out = subprocess.run(['jfr', 'print', '--events', 'jdk.ExecutionSample', '--stack-depth', '64', f],
                     capture_output=True, text=True).stdout
selfc, incl, total, threads = collections.Counter(), collections.Counter(), 0, collections.Counter()
for ev in out.split('jdk.ExecutionSample')[1:]:
    frames, in_stack = [], False
    for line in ev.splitlines():
        s = line.strip()
        if s.startswith('sampledThread'): threads[s.split('"')[1] if '"' in s else s] += 1
        if s.startswith('stackTrace = ['): in_stack = True; continue
        if in_stack:
            if s.startswith(']') or s == '...': in_stack = False if s.startswith(']') else in_stack; continue
            frames.append(s.split('  line:')[0])
    if not frames: continue
    if flt and not any(flt in x for x in frames): continue
    total += 1
    selfc[frames[0]] += 1
    for fr in set(frames): incl[fr] += 1
print(f'samples: {total}')
print('--- threads'); [print(f'{c*100/total:5.1f}%  {t}') for t, c in threads.most_common(8)]
print('--- self');  [print(f'{c*100/total:5.1f}%  {fr}') for fr, c in selfc.most_common(n)]
print('--- inclusive'); [print(f'{c*100/total:5.1f}%  {fr}') for fr, c in incl.most_common(n)]
