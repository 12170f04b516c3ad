// The dashboard's small script: chart filters and downloads, and a run page that follows its run.
(function () {
  'use strict';

  function chartParameters() {
    const query = new URLSearchParams();
    const boxes = Array.from(document.querySelectorAll('.variant-filter'));
    if (boxes.some(box => !box.checked)) {
      query.set('variants', boxes.filter(box => box.checked).map(box => box.value).join(','));
    }
    document.querySelectorAll('[data-param]').forEach(input => {
      if (input.value) {
        query.set(input.dataset.param, input.value);
      }
    });
    return query;
  }

  function chartUrl(figure, format, query) {
    const fixed = figure.dataset.query;
    const rest = query.toString();
    const parts = [fixed, rest].filter(part => part && part.length > 0);
    return figure.dataset.base + '.' + format + (parts.length ? '?' + parts.join('&') : '');
  }

  function drawCharts(version) {
    document.querySelectorAll('figure.chart').forEach(figure => {
      const image = figure.querySelector('img');
      const query = chartParameters();
      const pictureQuery = new URLSearchParams(query);
      if (version) {
        pictureQuery.set('version', version);
      }
      image.src = chartUrl(figure, 'png', pictureQuery);
      figure.querySelectorAll('a[data-format]').forEach(link => {
        const linkQuery = new URLSearchParams(query);
        if (link.dataset.dpi) {
          linkQuery.set('dpi', link.dataset.dpi);
        }
        link.href = chartUrl(figure, link.dataset.format, linkQuery);
        link.download = figure.dataset.name + (link.dataset.dpi ? '-' + link.dataset.dpi + 'dpi' : '') + '.' + link.dataset.format;
      });
    });
  }

  // A chart the server refused (e.g. a bad option) says why under the picture instead of a broken image.
  function explainFailures() {
    document.querySelectorAll('figure.chart img').forEach(image => {
      const message = image.parentElement.querySelector('.chart-error');
      image.addEventListener('load', () => { message.hidden = true; image.hidden = false; });
      image.addEventListener('error', async () => {
        const response = await fetch(image.src);
        const problem = await response.json().catch(() => ({ detail: response.statusText }));
        message.textContent = problem.detail || ('HTTP ' + response.status);
        message.hidden = false;
        image.hidden = true;
      });
    });
  }

  async function replace(section, url) {
    const response = await fetch(url, { headers: { Accept: 'text/html' } });
    if (!response.ok) {
      return false;
    }
    const open = Array.from(section.querySelectorAll('details[open]')).map(details => details.dataset.trial);
    section.innerHTML = await response.text();
    section.querySelectorAll('details').forEach(details => {
      if (open.includes(details.dataset.trial)) {
        details.open = true;
      }
    });
    return true;
  }

  // While the run goes on, its status, progress and trials are fetched again; the charts are redrawn when
  // the run's state has moved.
  function followRun(live, trials) {
    const every = (Number(live.dataset.refresh) || 3) * 1000;
    const run = '/runs/' + live.dataset.run;
    const tick = async () => {
      const state = live.querySelector('.live-state');
      if (!state || state.dataset.active !== 'true') {
        return;
      }
      try {
        const before = state.dataset.version;
        if (await replace(live, run + '/live') && trials) {
          await replace(trials, run + '/trials');
        }
        const after = live.querySelector('.live-state');
        if (after && after.dataset.version !== before) {
          drawCharts(after.dataset.version);
        }
      } catch (e) {
        // The service may restart; the next tick tries again.
      }
      setTimeout(tick, every);
    };
    setTimeout(tick, every);
  }

  document.addEventListener('DOMContentLoaded', () => {
    const statusFilter = document.getElementById('status-filter');
    if (statusFilter) {
      statusFilter.addEventListener('change', () => statusFilter.form.submit());
    }
    if (document.querySelector('figure.chart')) {
      explainFailures();
      drawCharts(null);
      document.querySelectorAll('.variant-filter, [data-param]').forEach(input =>
        input.addEventListener('change', () => drawCharts(null)));
    }
    const live = document.getElementById('live');
    if (live) {
      followRun(live, document.getElementById('trials-live'));
    }
  });
})();
