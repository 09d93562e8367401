// OcppAuth dashboard: the only script. Keeps the overview live (server-sent events from /live/overview) and asks before
// a destructive command. No inline scripts: the content security policy allows only this file.
(() => {
  'use strict';

  const text = (id, value) => { const el = document.getElementById(id); if (el) el.textContent = String(value); };

  const cell = (row, value, className) => {
    const td = document.createElement('td');
    if (className) td.className = className;
    td.textContent = value;
    row.appendChild(td);
    return td;
  };

  const fill = (tableId, rows, columns, empty) => {
    const body = document.querySelector(`#${tableId} tbody`);
    if (!body) return;
    body.replaceChildren();
    if (rows.length === 0) {
      const tr = document.createElement('tr');
      const td = cell(tr, empty, 'muted');
      td.colSpan = columns;
      body.appendChild(tr);
      return;
    }
    for (const r of rows) body.appendChild(r);
  };

  const when = (iso) => iso ? new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';

  const renderOverview = (s) => {
    text('ov-online', s.online); text('ov-offline', s.offline); text('ov-faulted', s.faulted);
    text('ov-sessions', s.sessionsRunning); text('ov-decisions', s.decisionsLastHour); text('ov-refused', s.refusedLastHour);
    text('ov-camera-queue', s.cameraQueue);
    const time = document.getElementById('live-time');
    if (time) { time.dateTime = s.takenAt; time.textContent = when(s.takenAt); }
    fill('ov-decision-table', s.decisions.map((d) => {
      const tr = document.createElement('tr');
      const badge = document.createElement('span');
      badge.className = 'badge ' + (d.result === 'Accepted' ? 'ok' : 'bad');
      badge.textContent = d.result;
      tr.appendChild(document.createElement('td')).appendChild(badge);
      const reason = document.createElement('td');
      const a = document.createElement('a');
      a.href = '/decisions?reason=' + encodeURIComponent(d.reason);
      a.textContent = d.reason;
      const words = document.createElement('span');
      words.className = 'muted';
      words.textContent = ' ' + d.reasonInWords;
      reason.append(a, words);
      tr.appendChild(reason);
      cell(tr, d.count, 'num');
      return tr;
    }), 3, 'No decisions in the last hour.');
    fill('ov-camera-table', s.cameras.map((c) => {
      const tr = document.createElement('tr');
      cell(tr, c.cameraId); cell(tr, c.stationId); cell(tr, c.plate ?? '—', 'plate'); cell(tr, c.verdict); cell(tr, when(c.capturedAt));
      return tr;
    }), 5, 'No captures yet.');
    fill('ov-security-table', s.securityEvents.map((e) => {
      const tr = document.createElement('tr');
      cell(tr, when(e.occurredAt)); cell(tr, e.chargePointId ?? '—');
      const td = cell(tr, e.type + ' ');
      const info = document.createElement('span');
      info.className = 'muted';
      info.textContent = e.techInfo ?? '';
      td.appendChild(info);
      return tr;
    }), 3, 'No security events.');
  };

  const live = document.querySelector('[data-live-url]');
  if (live && 'EventSource' in window) {
    const source = new EventSource(live.dataset.liveUrl);
    source.addEventListener('overview', (e) => {
      live.textContent = 'live';
      live.classList.remove('off');
      renderOverview(JSON.parse(e.data));
    });
    source.onerror = () => { live.textContent = 'reconnecting'; live.classList.add('off'); };
  }

  // <form data-confirm="..."> asks before it is sent (Reset, Stop, Block, ...).
  document.addEventListener('submit', (e) => {
    const message = e.target instanceof HTMLFormElement ? e.target.dataset.confirm : undefined;
    if (message && !window.confirm(message)) e.preventDefault();
  });
})();
