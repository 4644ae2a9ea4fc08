// The browser verifier's page (docs/WEBVERIFY.md). Everything that judges
// a code runs in the worker (worker.js), in the project's own engine
// compiled to WebAssembly; this script only drives the camera, the file
// picker and the page. It sends nothing about a scanned code anywhere: the
// only requests it makes are the page's own files and the trust data
// (/trust/…), the same for everyone.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const cfg = JSON.parse($('cla-config').textContent);
  const LANGS = ['es', 'en', 'qu'];
  let lang = pickLang();
  let worker = null;
  let seq = 0;
  const pending = new Map();
  let ready = false;
  let lastInfo = null;
  let lastSync = null; // {state, detail}
  let shown = null; // the result on screen, to re-render in another language
  let camera = null; // {stream, stop()}

  // ---- language ----------------------------------------------------------

  function pickLang() {
    const q = new URLSearchParams(location.search).get('lang');
    if (LANGS.includes(q)) { try { localStorage.setItem('cla-lang', q); } catch (e) {} return q; }
    try { const s = localStorage.getItem('cla-lang'); if (LANGS.includes(s)) return s; } catch (e) {}
    const htmlLang = document.documentElement.lang;
    return LANGS.includes(htmlLang) ? htmlLang : 'es';
  }

  // t formats a catalogue message: %s and %d in order, %% a percent sign.
  function t(key, ...args) {
    const m = (cfg.texts[lang] && cfg.texts[lang][key]) || (cfg.texts.es && cfg.texts.es[key]) || key;
    let i = 0;
    return m.replace(/%[sdv%]/g, (f) => (f === '%%' ? '%' : String(args[i++])));
  }

  function applyLang() {
    document.documentElement.lang = lang;
    document.title = t('webv.title');
    for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
    for (const b of document.querySelectorAll('.langbtn')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
    renderTrust();
    if (shown) showResult(shown.result, shown.source);
  }

  // ---- the worker --------------------------------------------------------

  function call(op, args, transfer) {
    return new Promise((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve, reject });
      worker.postMessage(Object.assign({ id, op }, args || {}), transfer || []);
    });
  }

  function startWorker() {
    const params = new URLSearchParams(location.search);
    const decoder = params.get('decoder'); // tests: wasm or native
    worker = new Worker('/V/worker.js' + (decoder ? '?decoder=' + encodeURIComponent(decoder) : ''));
    worker.onmessage = (ev) => {
      const m = ev.data || {};
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.ok) p.resolve(m); else p.reject(new Error(m.error || 'error'));
    };
    worker.onerror = (ev) => { setTrustState(t('webv.error', ev.message || 'worker')); };
  }

  // ---- trust data --------------------------------------------------------

  function fmtAge(ns) {
    if (ns === undefined || ns === null || ns < 0) return t('dur.unknown');
    const min = Math.floor(ns / 6e10);
    if (min < 60) return t('dur.minutes', min);
    if (min < 48 * 60) return t('dur.hours', Math.floor(min / 60));
    return t('dur.days', Math.floor(min / 1440));
  }

  function fmtTime(s) {
    if (!s) return '';
    const d = new Date(s);
    if (isNaN(d)) return '';
    const loc = lang === 'en' ? 'en-GB' : 'es-PE';
    return d.toLocaleString(loc, { dateStyle: 'medium', timeStyle: 'short' });
  }

  function setTrustState(text, detail) {
    $('trust-state').textContent = text;
    if (detail !== undefined) $('trust-detail').textContent = detail;
  }

  // info is the worker's description of the trust data held (see
  // worker.js): freshness is "none", "fresh", "old", "stale" or "clock".
  function renderTrust() {
    const info = lastInfo;
    if (!cfg.built) return; // the page says so; nothing here works
    if (!info) return;
    let state;
    switch (info.freshness) {
      case 'none': state = t('webv.trust.none'); break;
      case 'fresh': state = t('webv.trust.fresh', info.status_seq, fmtAge(info.status_age_ns)); break;
      case 'old': state = t('webv.trust.old', fmtAge(info.status_age_ns)); break;
      case 'clock': state = t('webv.trust.clock'); break;
      default: state = t('webv.trust.stale');
    }
    const parts = [];
    if (lastSync) parts.push(lastSync);
    if (info.last_success) parts.push(t('webv.trust.lastsync', fmtTime(info.last_success)).replace(/\.\.$/, '.'));
    if (!navigator.onLine) parts.push(t('webv.trust.offline'));
    else if (info.freshness !== 'none') parts.push(t('webv.trust.ready'));
    setTrustState(state, parts.join(' '));
    $('trust').dataset.freshness = info.freshness || '';
    $('sync').hidden = !navigator.onLine;
  }

  async function sync() {
    if (!ready || !navigator.onLine) { renderTrust(); return; }
    lastSync = t('webv.trust.syncing');
    renderTrust();
    $('sync').disabled = true;
    try {
      const r = await call('sync', { base: location.origin });
      lastInfo = r.info || lastInfo;
      if (r.refused) lastSync = t('webv.trust.refused', t('import.reason.' + (r.reason || 'damaged')));
      else if (r.offline) lastSync = t('webv.trust.offline');
      else if (r.error) lastSync = t('webv.trust.error', r.error);
      else lastSync = null;
      if (shown && shown.text) reverify(); // new data: judge what is shown again
    } catch (e) {
      lastSync = t('webv.trust.error', e.message);
    } finally {
      $('sync').disabled = false;
      renderTrust();
    }
  }

  // ---- results -----------------------------------------------------------

  const ICONS = {
    good: '<svg viewBox="0 0 24 24" width="44" height="44"><circle cx="12" cy="12" r="11" fill="currentColor"/><path d="M6.5 12.5l3.5 3.5 7.5-8" stroke="#fff" stroke-width="2.6" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>',
    bad: '<svg viewBox="0 0 24 24" width="44" height="44"><circle cx="12" cy="12" r="11" fill="currentColor"/><path d="M7.5 7.5l9 9M16.5 7.5l-9 9" stroke="#fff" stroke-width="2.6" stroke-linecap="round"/></svg>',
    warn: '<svg viewBox="0 0 24 24" width="44" height="44"><path d="M12 1.5L23 21.5H1z" fill="currentColor"/><path d="M12 8.5v6.5M12 17.8v.4" stroke="#fff" stroke-width="2.6" stroke-linecap="round"/></svg>',
  };

  function kindOf(status) {
    if (status === 'valid') return 'good';
    if (status === 'revoked' || status === 'invalid_signature' || status === 'key_compromised' || status === 'key_not_valid') return 'bad';
    return 'warn';
  }

  function el(tag, text, attrs) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    return e;
  }

  function docLabel(dt) {
    return { DNI: t('webv.doc.dni'), CE: t('webv.doc.ce') }[dt] || t('webv.doc.code');
  }

  function showResult(r, source, text) {
    shown = { result: r, source, text: text !== undefined ? text : shown && shown.result === r ? shown.text : undefined };
    stopCamera();
    const kind = kindOf(r.status);
    const box = $('verdict-box');
    box.className = 'verdict-box ' + kind;
    box.dataset.status = r.status;
    $('verdict-icon').innerHTML = ICONS[kind];
    $('verdict-word').textContent = t('status.' + r.status);
    let help = r.status === 'stale' && r.reason === 'clock_behind' ? t('status.stale.clock.help') : t('status.' + r.status + '.help');
    if (r.reason && cfg.texts[lang]['reason.' + r.reason]) help = t('reason.' + r.reason) + ' ' + help;
    $('verdict-help').textContent = help;
    const dl = $('student');
    dl.replaceChildren();
    const c = r.constancia;
    const fact = (k, v) => { if (v) { dl.append(el('dt', t(k)), el('dd', v)); } };
    if (c) {
      fact('webv.field.name', c.student.full_name);
      fact('webv.field.document', docLabel(c.student.doc_type) + ' ' + c.student.doc_number);
      fact('webv.field.code', c.code);
      fact('webv.field.issued', fmtTime(c.issued_at));
    }
    const tbody = $('years').querySelector('tbody');
    tbody.replaceChildren();
    for (const y of (c && c.years) || []) {
      const tr = el('tr');
      const grade = y.level === 'INICIAL' ? t('grade.age', y.grade) : t('grade.n', y.grade);
      tr.append(el('td', String(y.year)), el('td', t('level.' + y.level)), el('td', grade), el('td', t('result.' + y.result)));
      tbody.append(tr);
    }
    $('years').hidden = !(c && c.years && c.years.length);
    const ul = $('warnings');
    ul.replaceChildren();
    for (const w of r.warnings || []) ul.append(el('li', t('warn.' + w)));
    const tr = r.trust || {};
    $('result-trust').textContent = tr.status_seq ? t('webv.judged', tr.status_seq, fmtAge(tr.age_ns), tr.keyset_seq || 0) : '';
    $('result-source').textContent = source ? t('app.result.source', source) : '';
    $('start').hidden = true;
    $('result').hidden = false;
    document.title = t('status.' + r.status) + ' — ' + t('webv.title');
    $('result').focus();
  }

  function again() {
    shown = null;
    $('result').hidden = true;
    $('start').hidden = false;
    $('busy').textContent = '';
    document.title = t('webv.title');
    $('scan').focus();
  }

  async function verifyText(text, source) {
    $('busy').textContent = t('webv.working');
    try {
      const r = await call('verifyText', { text });
      $('busy').textContent = '';
      showResult(r.result, source, text);
    } catch (e) {
      $('busy').textContent = t('webv.error', e.message);
    }
  }

  async function reverify() {
    const s = shown;
    try {
      const r = await call('verifyText', { text: s.text });
      if (shown === s) showResult(r.result, s.source, s.text);
    } catch (e) { /* keep what is shown */ }
  }

  // ---- camera ------------------------------------------------------------

  async function startCamera() {
    $('start').hidden = true;
    $('camera').hidden = false;
    $('camera-state').textContent = t('webv.camera.starting');
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
      });
    } catch (e) {
      $('camera').hidden = true;
      $('start').hidden = false;
      $('busy').textContent = t('webv.camera.denied', e.name || e.message);
      return;
    }
    const video = $('video');
    video.srcObject = stream;
    await video.play().catch(() => {});
    let stopped = false;
    camera = { stop() { stopped = true; for (const tr of stream.getTracks()) tr.stop(); video.srcObject = null; } };
    $('camera-state').textContent = t('webv.camera.looking');
    $('stop').focus();
    let started = 0; // the first frame's capture: the QR is in view from then on
    let frames = 0;
    // One frame in flight at a time: the worker decodes while the next
    // frame is captured; a slow phone skips frames instead of queueing them.
    while (!stopped) {
      if (video.readyState < 2 || !video.videoWidth) { await sleep(50); continue; }
      let bitmap;
      try { bitmap = await createImageBitmap(video); } catch (e) { await sleep(50); continue; }
      if (!frames++) started = performance.now();
      let r;
      try { r = await call('frame', { bitmap }, [bitmap]); } catch (e) { $('camera-state').textContent = t('webv.error', e.message); await sleep(200); continue; }
      if (stopped) break;
      const results = r.results || [];
      if (results.length) {
        window.claLastScan = { frames, ms: performance.now() - started, decoder: r.decoder };
        const text = (r.texts || []).find((x) => x) || '';
        showResult(results[0], t('webv.fromcamera'), r.codes && r.codes[0] ? r.codes[0] : text);
        return;
      }
      if ((r.texts || []).length) $('camera-state').textContent = t('webv.camera.notcla');
    }
  }

  function stopCamera() {
    if (camera) { camera.stop(); camera = null; }
    $('camera').hidden = true;
  }

  const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

  // ---- files -------------------------------------------------------------

  async function verifyFile(file) {
    $('busy').textContent = t('webv.reading', file.name);
    try {
      const bytes = await file.arrayBuffer();
      if (file.type === 'application/pdf' || file.name.toLowerCase().endsWith('.pdf')) $('busy').textContent = t('webv.pdfmodule');
      const r = await call('file', { name: file.name, bytes }, [bytes]);
      $('busy').textContent = '';
      const results = r.results || [];
      if (results.length) showResult(results[0], file.name, r.codes && r.codes[0]);
    } catch (e) {
      $('busy').textContent = t('webv.error', e.message);
    } finally {
      $('file').value = '';
    }
  }

  // fromLink verifies the code in the address's fragment, if any, then
  // takes it out of the address bar and the history.
  async function fromLink() {
    if (location.hash.length <= 1) return;
    const text = location.href;
    history.replaceState(null, '', location.pathname + location.search);
    stopCamera();
    if (navigator.onLine && lastInfo && lastInfo.freshness !== 'fresh' && lastInfo.freshness !== 'old') await sync();
    await verifyText(text, t('webv.fromlink'));
  }

  // ---- start -------------------------------------------------------------

  async function main() {
    $('origin').textContent = location.origin;
    for (const b of document.querySelectorAll('.langbtn')) {
      b.addEventListener('click', () => {
        lang = b.dataset.lang;
        try { localStorage.setItem('cla-lang', lang); } catch (e) {}
        applyLang();
      });
    }
    applyLang();
    if (!cfg.built) return;
    if (typeof WebAssembly !== 'object' || typeof Worker !== 'function') { setTrustState(t('webv.unsupported'), ''); return; }
    if ('serviceWorker' in navigator) {
      navigator.serviceWorker.register('/V/sw.js', { scope: '/V' }).catch(() => {});
    }
    $('scan').addEventListener('click', startCamera);
    $('stop').addEventListener('click', () => { stopCamera(); $('start').hidden = false; $('scan').focus(); });
    $('again').addEventListener('click', again);
    $('sync').addEventListener('click', sync);
    $('file').addEventListener('change', () => { if ($('file').files[0]) verifyFile($('file').files[0]); });
    $('paste-go').addEventListener('click', () => { const v = $('paste').value.trim(); if (v) verifyText(v, t('webv.frompaste')); });
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && !$('result').hidden) again(); });
    window.addEventListener('online', sync);
    window.addEventListener('offline', renderTrust);
    startWorker();
    try {
      const r = await call('open', { roots: cfg.roots });
      lastInfo = r.info;
      ready = true;
    } catch (e) {
      setTrustState(t('webv.error', e.message), '');
      return;
    }
    for (const id of ['scan', 'file', 'paste-go']) $(id).disabled = !!(id === 'scan' && !(navigator.mediaDevices && navigator.mediaDevices.getUserMedia));
    renderTrust();
    // A code in the link (#…): the browser never sent it to the server;
    // it is verified here and then taken out of the address bar and the
    // history. With no usable trust data yet (a first visit from a
    // constancia's QR), the data comes first; otherwise the verdict shows
    // at once, and a sync that brings news judges it again.
    // A second link opened while the page is open (the same document: only
    // the fragment changes) arrives as a hashchange.
    window.addEventListener('hashchange', fromLink);
    await fromLink();
    await sync();
    setInterval(sync, 6 * 3600 * 1000);
  }

  main();
})();
