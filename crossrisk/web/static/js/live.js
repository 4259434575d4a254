/* Live updates for the pages: the platform's events from /api/events (Server-Sent Events),
   swapping in server-rendered parts of a page, and JSON requests with the CSRF token. */
(function () {
  "use strict";
  const cr = window.crossrisk || (window.crossrisk = {});

  // Follow the event stream from `options.after` (the journal position the page shows).
  // EventSource reconnects by itself, sending the last id it saw; when it gives up (a
  // refused reconnection), a new one is opened later from the last event handled.
  function follow(options) {
    let last = options.after;
    let source = null;
    let delay = 2000;
    const indicator = options.indicator;
    const texts = options.texts || {};

    function show(state) {
      if (!indicator) {
        return;
      }
      indicator.dataset.state = state;
      indicator.textContent = texts[state] || state;
    }

    function open() {
      const query = last === null || last === undefined ? "" : "?after=" + encodeURIComponent(last);
      source = new EventSource("/api/events" + query);
      source.onopen = function () {
        delay = 2000;
        show("live");
      };
      source.onmessage = function (message) {
        if (message.lastEventId) {
          last = message.lastEventId;
        }
        let data;
        try {
          data = JSON.parse(message.data);
        } catch (_error) {
          return;
        }
        options.onEvent(data);
      };
      source.onerror = function () {
        if (source.readyState === EventSource.CLOSED) {
          show("paused");
          window.setTimeout(open, delay);
          delay = Math.min(delay * 2, 60000);
        } else {
          show("connecting");
        }
      };
    }

    open();
    window.addEventListener("pagehide", function () {
      if (source) {
        source.close();
      }
    });
  }

  // Call `action` once, shortly after the last of a burst of calls (one change journals
  // several entries; the page needs one refresh).
  function debounce(action, milliseconds) {
    let timer = null;
    return function () {
      if (timer !== null) {
        window.clearTimeout(timer);
      }
      timer = window.setTimeout(function () {
        timer = null;
        action();
      }, milliseconds);
    };
  }

  // Replace the element `id` with the element of the same id in the HTML at `url`.
  function swapIn(url, id) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok || response.redirected) {
          throw new Error(url + " answered " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        const fresh = new DOMParser().parseFromString(html, "text/html").getElementById(id);
        const current = document.getElementById(id);
        if (fresh && current) {
          current.replaceWith(document.adoptNode(fresh));
        }
      });
  }

  // POST JSON as the logged-in user; resolves to {ok, status, body}.
  function postJson(url, body, csrfToken) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "Content-Type": "application/json",
        "X-CSRF-Token": csrfToken,
      },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response.json().catch(function () {
        return {};
      }).then(function (parsed) {
        return { ok: response.ok, status: response.status, body: parsed };
      });
    });
  }

  // A refusal as the page shows it: the translated headline and a sentence in the page's
  // language, by the problem's key or else its status; the API's English detail never.
  function problemText(result, texts) {
    const status = String(result.status);
    const headline = texts.headlineByStatus[status] || texts.failed;
    const key = result.body && result.body.key;
    const sentence = (key && texts.refusals[key])
      || texts.refusedByStatus[status]
      || texts.refused;
    return headline + texts.separator + sentence;
  }

  cr.live = {
    follow: follow,
    debounce: debounce,
    swapIn: swapIn,
    postJson: postJson,
    problemText: problemText,
  };
})();
