/**
 * The developer portal: one self-contained page (no external assets, so a strict CSP holds). A partner pastes
 * its key; the page calls `/v2/usage` with it (the key stays in the page's memory, never in a URL or storage)
 * and lists each published version's operations from its OpenAPI document.
 */
export const PORTAL_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Frontdoor partner portal</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 52rem; padding: 1.5rem; color: #1b1f24; }
  h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
  form { display: flex; gap: .5rem; } input { flex: 1; padding: .5rem; font: inherit; }
  button { padding: .5rem 1rem; font: inherit; cursor: pointer; }
  table { border-collapse: collapse; margin-top: 1rem; } td, th { border: 1px solid #d0d7de; padding: .35rem .7rem; text-align: left; }
  .error { color: #b42318; } meter { width: 16rem; } code { background: #f6f8fa; padding: 0 .25rem; }
</style>
</head>
<body>
<h1>Frontdoor partner portal</h1>
<p>Paste your API key to see your plan, today's usage and your limits. The key is sent only in the
<code>X-API-Key</code> header of one request to this gateway.</p>
<form id="key-form" autocomplete="off">
  <label for="api-key" hidden>API key</label>
  <input id="api-key" name="api-key" type="password" placeholder="fd_…" required>
  <button id="show-usage" type="submit">Show my usage</button>
</form>
<div id="usage" aria-live="polite"></div>
<h2>API reference</h2>
<p>Interactive documentation: <a href="/docs">/docs</a>. Versions: <a href="/v1/openapi.json">v1</a> (deprecated), <a href="/v2/openapi.json">v2</a>.</p>
<div id="reference"></div>
<script>
(function () {
  var usage = document.getElementById('usage');
  function text(tag, value, cls) { var el = document.createElement(tag); el.textContent = value; if (cls) el.className = cls; return el; }
  function row(table, label, value) { var tr = table.insertRow(); tr.appendChild(text('th', label)); tr.appendChild(text('td', value)); }
  document.getElementById('key-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var key = document.getElementById('api-key').value.trim();
    usage.replaceChildren(text('p', 'Loading…'));
    fetch('/v2/usage', { headers: { 'X-API-Key': key, Accept: 'application/json' } })
      .then(function (res) { return res.json().then(function (body) { return { ok: res.ok, body: body }; }); })
      .then(function (r) {
        if (!r.ok) { usage.replaceChildren(text('p', r.body.detail || 'That key was not accepted.', 'error')); return; }
        var u = r.body, table = document.createElement('table');
        table.id = 'usage-table';
        row(table, 'Partner', u.partner); row(table, 'Plan', u.plan);
        row(table, 'Used today (UTC ' + u.day + ')', u.used + ' of ' + u.quota);
        row(table, 'Remaining today', String(u.remaining));
        row(table, 'Rate limit', u.perSecond + ' requests per second');
        var meter = document.createElement('meter'); meter.max = u.quota; meter.value = u.used;
        usage.replaceChildren(table, meter);
      })
      .catch(function () { usage.replaceChildren(text('p', 'The gateway could not be reached.', 'error')); });
  });
  ['v1', 'v2'].forEach(function (version) {
    fetch('/' + version + '/openapi.json').then(function (res) { return res.json(); }).then(function (doc) {
      var section = document.createElement('section'); section.id = 'reference-' + version;
      section.appendChild(text('h3', version + ' — ' + (doc.info && doc.info.title || '')));
      var list = document.createElement('ul');
      Object.keys(doc.paths || {}).forEach(function (path) {
        Object.keys(doc.paths[path]).forEach(function (method) {
          var op = doc.paths[path][method];
          list.appendChild(text('li', method.toUpperCase() + ' ' + path + (op.summary ? ' — ' + op.summary : '')));
        });
      });
      section.appendChild(list);
      document.getElementById('reference').appendChild(section);
    }).catch(function () {});
  });
})();
</script>
</body>
</html>
`;
